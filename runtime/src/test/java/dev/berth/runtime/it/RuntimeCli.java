package dev.berth.runtime.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives bin/berth-runtime as a process, the way users and tools do, with a state root of the
 * test's own. {@link #cleanUp()} force-deletes whatever the test left and reports leaks.
 */
final class RuntimeCli {
    static final Path HOME = Path.of(System.getProperty("berth.home", "../")).toAbsolutePath().normalize();
    static final Path LAUNCHER = HOME.resolve("bin/berth-runtime");

    record Result(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    final Path root;

    RuntimeCli(Path root) {
        this.root = root;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runIn(null, args);
    }

    /** Runs with the working directory {@code cwd} (null: inherit). Times out after 60 s. */
    Result runIn(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("berth-out", ".txt");
        Path err = Files.createTempFile("berth-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("berth-runtime " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Force-deletes every container left under the root. */
    void cleanUp() throws IOException, InterruptedException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                run("delete", "--force", d.getFileName().toString());
            }
        }
    }
}
