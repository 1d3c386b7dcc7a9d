package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receives descriptors from a sender that is not ours: python3's socket.send_fds, which is
 * sendmsg with SCM_RIGHTS as runc's utils.SendFd does it. Needs no root.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Sends a pty master named like runc does, then talks through the slave. */
    private static final String SEND_PTY = """
            import fcntl, os, socket, struct, sys, termios
            m, s = os.openpty()
            fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 33, 77, 0, 0))
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(sys.argv[1])
            socket.send_fds(c, [os.ttyname(s).encode()], [m])
            c.close()
            os.close(m)
            os.write(s, b'from-python\\n')
            line = os.read(s, 100).decode().strip()
            rows, cols = struct.unpack('HHHH', fcntl.ioctl(s, termios.TIOCGWINSZ, bytes(8)))[:2]
            print(line, rows, cols, flush=True)
            """;

    @TempDir
    Path tmp;

    @Test
    void receivesAPtyMasterWithItsNameAndDrivesTheTerminal() throws Exception {
        Path sock = tmp.resolve("console.sock");
        try (UnixSocketServer server = UnixSocketServer.bind(sock)) {
            Process python = python(SEND_PTY, sock.toString());
            try (Pty pty = Pty.of(server.receiveFd(WAIT))) {
                assertThat(pty.slaveName()).startsWith("/dev/pts/");
                assertThat(pty.size()).isEqualTo(new WindowSize(33, 77));
                assertThat(closeOnExec(pty.master().number())).isTrue();

                assertThat(readUntil(pty, "from-python")).contains("from-python");
                pty.resize(new WindowSize(40, 100));
                pty.outputStream().write("to-slave\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                        .isEqualTo("to-slave 40 100");
                assertThat(python.exitValue()).isZero();
            }
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void aMessageWithoutADescriptorIsRefused() throws Exception {
        Path sock = tmp.resolve("s");
        try (UnixSocketServer server = UnixSocketServer.bind(sock)) {
            Process python = python("""
                    import socket, sys
                    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    c.connect(sys.argv[1])
                    c.send(b'just-data')
                    c.close()
                    """, sock.toString());
            assertThatThrownBy(() -> server.receiveFd(WAIT))
                    .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno().name()).isEqualTo("EBADMSG"))
                    .hasMessageContaining("message carried no file descriptor");
            python.waitFor();
        }
    }

    @Test
    void aPeerThatHangsUpIsRefused() throws Exception {
        Path sock = tmp.resolve("s");
        try (UnixSocketServer server = UnixSocketServer.bind(sock)) {
            python("""
                    import socket, sys
                    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect(sys.argv[1])
                    """, sock.toString());
            assertThatThrownBy(() -> server.receiveFd(WAIT))
                    .hasMessageContaining("peer closed the connection without sending a file descriptor");
        }
    }

    @Test
    void twoDescriptorsAreRefusedAndBothClosed() throws Exception {
        Path sock = tmp.resolve("s");
        Path marker = Files.writeString(tmp.resolve("marker"), "x");
        try (UnixSocketServer server = UnixSocketServer.bind(sock)) {
            Process python = python("""
                    import os, socket, sys
                    fds = [os.open(sys.argv[2], os.O_RDONLY) for _ in range(2)]
                    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    c.connect(sys.argv[1])
                    socket.send_fds(c, [b'two'], fds)
                    c.close()
                    """, sock.toString(), marker.toString());
            assertThatThrownBy(() -> server.receiveFd(WAIT)).hasMessageContaining("expected one file descriptor, got 2");
            python.waitFor();
        }
        assertThat(openFdsTo(marker)).isEmpty();
    }

    @Test
    void oneConnectionCanCarrySeveralDescriptors() throws Exception {
        Path sock = tmp.resolve("s");
        Path marker = Files.writeString(tmp.resolve("marker"), "contents");
        try (UnixSocketServer server = UnixSocketServer.bind(sock)) {
            python("""
                    import os, socket, sys, time
                    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    c.connect(sys.argv[1])
                    for name in [b'first', b'second']:
                        socket.send_fds(c, [name], [os.open(sys.argv[2], os.O_RDONLY)])
                        time.sleep(0.1)
                    """, sock.toString(), marker.toString());
            try (UnixConnection conn = server.accept(WAIT)) {
                for (String name : List.of("first", "second")) {
                    try (ReceivedFd r = conn.receiveFd(WAIT)) {
                        assertThat(r.payload()).isEqualTo(name);
                        assertThat(new String(r.fd().inputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("contents");
                    }
                }
            }
        }
        assertThat(openFdsTo(marker)).isEmpty();
    }

    @Test
    void acceptTimesOut() {
        try (UnixSocketServer server = UnixSocketServer.bind(tmp.resolve("s"))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> server.accept(Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno().name()).isEqualTo("ETIMEDOUT"))
                    .hasMessageContaining("accept on " + tmp.resolve("s"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void closeWakesAWaitingAcceptor() throws Exception {
        UnixSocketServer server = UnixSocketServer.bind(tmp.resolve("s"));
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                server.accept(WAIT).close();
                waiter.complete(null);
            } catch (Throwable t) {
                waiter.complete(t);
            }
        });
        Thread.sleep(200);
        server.close();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(SyscallException.class);
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void bindRefusesAnExistingPathAndAPathTooLongForSunPath() throws Exception {
        Path taken = Files.writeString(tmp.resolve("taken"), "");
        assertThatThrownBy(() -> UnixSocketServer.bind(taken))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno().name()).isEqualTo("EADDRINUSE"));
        assertThat(taken).exists();
        Path deep = tmp.resolve("x".repeat(120));
        assertThatThrownBy(() -> UnixSocketServer.bind(deep))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno().name()).isEqualTo("ENAMETOOLONG"));
    }

    private static Process python(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the master until {@code text} shows up (the line discipline adds \r and may split reads). */
    private static String readUntil(Pty pty, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[256];
        while (!seen.toString().contains(text)) {
            int n = pty.inputStream().read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    /** /proc/self/fdinfo's flags are octal; O_CLOEXEC is 02000000 (proc(5)). */
    static boolean closeOnExec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring(6).trim(), 8) & 02000000) != 0;
            }
        }
        throw new AssertionError("no flags in fdinfo of " + fd);
    }

    private static List<Path> openFdsTo(Path file) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        found.add(fd);
                    }
                } catch (IOException gone) {
                    // the directory's own fd, closed by the time we look
                }
            }
        }
        return found;
    }
}
