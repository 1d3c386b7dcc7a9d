package dev.berth.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A CLI at a terminal: python's pty module (the resource pty/drive.py) runs a program under a
 * pseudo-terminal, types, resizes and reads the screen. {@link #run} returns what the terminal
 * showed, then "EXIT <code>".
 */
public final class Terminal {
    private final List<String> steps = new ArrayList<>();

    public Terminal size(int rows, int cols) {
        steps.add("[\"size\"," + rows + "," + cols + "]");
        return this;
    }

    /** Types {@code text}: "\r" ends a line, "\u0010\u0011" is docker's detach. */
    public Terminal type(String text) {
        steps.add("[\"type\"," + json(text) + "]");
        return this;
    }

    public Terminal until(String token, int seconds) {
        steps.add("[\"until\"," + json(token) + "," + seconds + "]");
        return this;
    }

    public Terminal sleep(double seconds) {
        steps.add("[\"sleep\"," + seconds + "]");
        return this;
    }

    /** Runs {@code program args...} under the terminal with {@code env} added to this process's environment. */
    public String run(Path scratch, Map<String, String> env, String program, String... args) throws Exception {
        Path driver = scratch.resolve("pty-drive.py");
        try (InputStream in = Terminal.class.getResourceAsStream("/pty/drive.py")) {
            Files.write(driver, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("python3", driver.toString(), "[" + String.join(",", steps) + "]", program));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the terminal session did not end in 90 s");
        }
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
