package dev.berth.cli.server;

import dev.berth.cli.Invocation;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bin/berth process that sent a request, reached through /proc/PID (proc(5)): its environment,
 * its working directory and its standard streams, opened anew from /proc/PID/fd/4-6. Any of these
 * failing is an IOException, and the client then runs the command in a JVM of its own.
 */
final class Client {
    private Client() {}

    static Invocation open(long pid, int uid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        // Only our own user's processes: the FIFO is in a 0700 directory, but a pid is just a number.
        if (((Number) Files.getAttribute(proc, "unix:uid")).intValue() != uid) {
            throw new IOException("process " + pid + " is not ours");
        }
        Map<String, String> env = environment(Files.readAllBytes(proc.resolve("environ")));
        Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
        // bin/berth's stdin, stdout and stderr, which it also holds as fds 4, 5 and 6: its 0-2 are
        // not stable while it writes the request (bash points fd 1 at our FIFO for that moment).
        Path fds = proc.resolve("fd");
        List<Path> stdio = List.of(fds.resolve("4"), fds.resolve("5"), fds.resolve("6"));
        // Opening /proc/PID/fd/N makes a new open file description with its own offset. For a
        // regular file the client's offset would not move past what we wrote, and the shell's next
        // write into the same file (`{ berth ps; echo; } >f`) would overwrite it: such a client
        // gets a JVM of its own. Pipes, terminals and /dev/null have no offset.
        for (int fd = 1; fd <= 2; fd++) {
            if (Files.isRegularFile(stdio.get(fd))) {
                throw new IOException("stdio " + fd + " is a regular file");
            }
        }
        InputStream in = new FileInputStream(stdio.get(0).toFile());
        PrintStream out;
        PrintStream err;
        try {
            // Append: a socket here fails with ENXIO (sockets cannot be opened through /proc).
            out = new PrintStream(new BufferedOutputStream(new FileOutputStream(stdio.get(1).toFile(), true), 16 * 1024), false, StandardCharsets.UTF_8);
            try {
                err = new PrintStream(new FileOutputStream(stdio.get(2).toFile(), true), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.close();
                throw e;
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new Invocation(out, err, in, env, cwd, stdio);
    }

    /** /proc/PID/environ: NAME=value entries, each NUL-terminated. */
    private static Map<String, String> environment(byte[] environ) {
        Map<String, String> env = new HashMap<>();
        int start = 0;
        for (int i = 0; i < environ.length; i++) {
            if (environ[i] == 0) {
                String entry = new String(environ, start, i - start, StandardCharsets.UTF_8);
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
                start = i + 1;
            }
        }
        return env;
    }
}
