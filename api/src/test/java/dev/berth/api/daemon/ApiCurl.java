package dev.berth.api.daemon;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Raw Engine API calls to a test daemon with curl, for what the docker CLI does not show (inspect of an exec, stats JSON). */
final class ApiCurl {
    private ApiCurl() {}

    /** The response body (or, with {@code -i} among {@code extra}, headers too); {@code body} may be null. */
    static String call(DaemonProcess d, String method, String path, String body, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--unix-socket", d.socket.toString(), "-X", method));
        cmd.addAll(List.of(extra));
        cmd.add("http://localhost/v1.47" + path);
        if (body != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl " + path + " timed out");
        }
        return out;
    }
}
