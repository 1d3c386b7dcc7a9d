package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.Pty;
import dev.berth.sys.ReceivedFd;
import dev.berth.sys.UnixSocketServer;
import dev.berth.sys.WindowSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * process.terminal through --console-socket (root, real kernel): the container's pty master
 * arrives over the socket as runc sends it (SCM_RIGHTS, the slave's name as payload) and drives
 * an interactive busybox sh. The reads are blocking downcalls, hence platform threads and a
 * timeout on a separate thread.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConsoleTest extends ContainerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    int mastersBefore;

    @BeforeEach
    void interactiveShell() throws Exception {
        bundle.args("sh");
        bundle.process().put("terminal", true);
        bundle.process().putObject("consoleSize").put("height", 33).put("width", 77);
        bundle.write();
        mastersBefore = openPtyMasters();
    }

    @AfterEach
    void noMasterLeftOpen() throws Exception {
        cli.cleanUp();
        assertThat(cli.root.resolve(id)).doesNotExist();
        assertThat(openPtyMasters()).as("pty masters open in this JVM").isEqualTo(mastersBefore);
    }

    @Test
    void theMasterComesOverTheSocketAndDrivesAShellOnTheContainersOwnPty() throws Exception {
        Path socket = tmp.resolve("console.sock");
        try (UnixSocketServer server = UnixSocketServer.bind(socket)) {
            CompletableFuture<ReceivedFd> received = CompletableFuture.supplyAsync(
                    () -> server.receiveFd(WAIT), task -> Thread.ofPlatform().daemon().start(task));
            RuntimeCli.Result created = cli.run("create", "--console-socket", socket.toString(),
                    "--bundle", bundle.dir.toString(), id);
            assertThat(created.exit()).as(created.err()).isZero();

            try (Pty pty = Pty.of(received.get(WAIT.toSeconds(), TimeUnit.SECONDS))) {
                // The name is the slave's inside the container's own devpts instance.
                assertThat(pty.slaveName()).isEqualTo("/dev/pts/0");
                assertThat(pty.size()).isEqualTo(new WindowSize(33, 77));
                assertThat(openPtyMasters()).as("the received master").isEqualTo(mastersBefore + 1);
                Screen screen = new Screen(pty.inputStream());

                assertThat(cli.run("start", id).exit()).isZero();
                type(pty, "tty; stty size; echo hello-$((6*7))\n");
                screen.awaitLine("hello-42");
                screen.awaitLine("/dev/pts/0");
                screen.awaitLine("33 77");

                pty.resize(new WindowSize(40, 100));
                type(pty, "stty size\n");
                screen.awaitLine("40 100");

                RuntimeCli.Result deleted = cli.run("delete", "--force", id);
                assertThat(deleted.exit()).as(deleted.err()).isZero();
                // With the last slave descriptor gone the master reads EIO, which the stream reports as its end.
                assertThat(screen.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(screen.text()).isTrue();
                assertThat(screen.failure).isNull();
            }
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void aTerminalWithoutAConsoleSocketIsRefusedInOneLine() throws Exception {
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").containsPattern("(?i)console[- ]socket");
        assertThat(cli.run("state", id).err()).contains("container does not exist");
    }

    @Test
    void aConsoleSocketNobodyListensOnFailsCreateAndLeavesNothing() throws Exception {
        Path nobody = tmp.resolve("nobody.sock");
        RuntimeCli.Result r = cli.run("create", "--console-socket", nobody.toString(),
                "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").containsPattern("(?i)console[- ]socket");
        assertThat(cli.run("state", id).err()).contains("container does not exist");
    }

    private static void type(Pty pty, String keys) throws IOException {
        pty.outputStream().write(keys.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Pty masters among this JVM's descriptors: their /proc/self/fdinfo has a tty-index line
     * (proc(5)). Their link names depend on whose mount namespace opened them, so not those.
     */
    private static int openPtyMasters() throws IOException {
        int n = 0;
        try (Stream<Path> infos = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path info : infos.toList()) {
                try {
                    if (Files.readString(info).contains("tty-index:")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by the time we read it
                }
            }
        }
        return n;
    }

    /** Everything the terminal shows, read by a platform thread until the console ends. */
    private static final class Screen {
        private final StringBuilder text = new StringBuilder();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile IOException failure;

        Screen(InputStream in) {
            Thread.ofPlatform().daemon().name("console-reader").start(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (text) {
                            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                            text.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    ended.countDown();
                }
            });
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /**
         * Waits for a line that is exactly {@code line}: output, not the echo of the typed command
         * (the line discipline ends lines with \r\n, ONLCR in termios(3)).
         */
        void awaitLine(String line) throws InterruptedException {
            Pattern p = Pattern.compile("(?m)^" + Pattern.quote(line) + "\r?$");
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (text) {
                while (!p.matcher(text).find()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || ended.getCount() == 0) {
                        throw new AssertionError("no line \"" + line + "\" on the console; it showed:\n" + escaped(text));
                    }
                    text.wait(Math.min(left, 200));
                }
            }
        }

        private static String escaped(CharSequence s) {
            StringBuilder out = new StringBuilder();
            s.chars().forEach(c -> out.append(c == '\n' || c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c)));
            return out.toString();
        }
    }
}
