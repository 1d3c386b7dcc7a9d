package dev.berth.api.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs curl against a unix socket; what a stock HTTP client does with our server. */
final class Curl {
    private Curl() {}

    record Result(int exit, int status, String body, String stderr) {}

    /**
     * Runs {@code curl --unix-socket socket -s -o - -w '\n%{http_code}' args...} and splits the
     * status code (last line) from the body.
     */
    static Result run(Path socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--unix-socket", socket.toString(), "-sS", "--max-time", "20",
                "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int nl = text.lastIndexOf('\n');
        int status = nl >= 0 ? Integer.parseInt(text.substring(nl + 1).strip()) : 0;
        return new Result(p.exitValue(), status, nl >= 0 ? text.substring(0, nl) : text, new String(err, StandardCharsets.UTF_8));
    }
}
