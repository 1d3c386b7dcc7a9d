package dev.berth.image.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.image.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real skopeo (Debian's package; .ci/run installs it) as the peer our archives must satisfy. */
final class Skopeo {
    private Skopeo() {}

    /** {@code skopeo inspect TRANSPORT:REF}, parsed. */
    static JsonNode inspect(String ref) throws IOException, InterruptedException {
        return ImageJson.MAPPER.readTree(run("inspect", ref));
    }

    /** {@code skopeo inspect --raw}: the manifest (or index) as stored. */
    static JsonNode inspectRaw(String ref) throws IOException, InterruptedException {
        return ImageJson.MAPPER.readTree(run("inspect", "--raw", ref));
    }

    /** {@code skopeo copy SRC DST}, without the host's signature policy (these are local files). */
    static void copy(String from, String to) throws IOException, InterruptedException {
        run("--insecure-policy", "copy", "--quiet", from, to);
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add("skopeo");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("skopeo " + String.join(" ", args) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException("skopeo " + String.join(" ", args) + " exited " + p.exitValue() + ": "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
