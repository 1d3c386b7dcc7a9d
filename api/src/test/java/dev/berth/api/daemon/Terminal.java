package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI at a terminal: python's pty module (test resource pty/drive.py) runs it under a
 * pseudo-terminal, types, resizes and reads the screen. {@link #run} returns what the terminal
 * showed, then "EXIT <code>".
 */
final class Terminal {
    private final List<String> steps = new ArrayList<>();

    Terminal size(int rows, int cols) {
        steps.add("[\"size\"," + rows + "," + cols + "]");
        return this;
    }

    /** Types {@code text}: "\r" ends a line, "\u0010\u0011" is docker's detach. */
    Terminal type(String text) {
        steps.add("[\"type\"," + json(text) + "]");
        return this;
    }

    Terminal until(String token, int seconds) {
        steps.add("[\"until\"," + json(token) + "," + seconds + "]");
        return this;
    }

    Terminal sleep(double seconds) {
        steps.add("[\"sleep\"," + seconds + "]");
        return this;
    }

    String run(DaemonProcess daemon, Path scratch, String... dockerArgs) throws Exception {
        Path driver = scratch.resolve("pty-drive.py");
        try (InputStream in = Terminal.class.getResourceAsStream("/pty/drive.py")) {
            Files.write(driver, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("python3", driver.toString(), "[" + String.join(",", steps) + "]",
                DaemonProcess.dockerCli()));
        cmd.addAll(List.of(dockerArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + daemon.socket);
        pb.environment().put("DOCKER_CONFIG", daemon.root.resolve("docker-config").toString());
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the terminal session ended").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
