package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to containers when the daemon goes away: killed (-9), their shims keep them
 * running and the next daemon adopts them; stopped without live-restore, they are stopped and
 * restart policies bring them back; with live-restore they keep running.
 */
@Tag("root")
class DaemonRestartTest {
    @TempDir
    Path tmp;

    /** Prints "up", then exits 7 on SIGTERM. */
    private static final String[] TRAPPER = {"busybox", "sh", "-c", "trap 'exit 7' TERM; echo up; while true; do sleep 0.1; done"};

    @Test
    void aKilledDaemonsContainersKeepRunningAndAreAdoptedAgain() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = run(first, "-d", "--name", "survivor");
        awaitLogs(first, id, "up");
        first.kill9();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("ps", "-q", "--no-trunc")).isEqualTo(id);
            assertThat(second.ok("logs", "survivor")).isEqualTo("up");
            second.ok("stop", "survivor");
            assertThat(second.ok("wait", id)).isEqualTo("7");
            assertThat(second.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id)).isEqualTo("exited 7");
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void aStoppedDaemonStopsItsContainersAndRestartPoliciesBringThemBack() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String plain = run(first, "-d");
        String always = run(first, "-d", "--restart", "always");
        awaitLogs(first, plain, "up");
        awaitLogs(first, always, "up");
        first.stop();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", plain)).isEqualTo("exited 7");
            assertThat(second.ok("inspect", "--format", "{{.State.Status}}", always)).isEqualTo("running");
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void withLiveRestoreAStoppedDaemonLeavesThemRunning() throws Exception {
        Path root = tmp.resolve("d");
        Files.createDirectories(root);
        Files.writeString(root.resolve("daemon.json"), "{\"live-restore\": true}");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = run(first, "-d");
        awaitLogs(first, id, "up");
        first.stop();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("inspect", "--format", "{{.State.Status}}", id)).isEqualTo("running");
            second.ok("kill", "-s", "TERM", id);
            assertThat(second.ok("wait", id)).isEqualTo("7");
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    private static String run(DaemonProcess d, String... flags) throws Exception {
        String[] args = new String[1 + flags.length + TRAPPER.length];
        args[0] = "run";
        System.arraycopy(flags, 0, args, 1, flags.length);
        System.arraycopy(TRAPPER, 0, args, 1 + flags.length, TRAPPER.length);
        return d.ok(args);
    }

    private static void awaitLogs(DaemonProcess d, String id, String expected) throws Exception {
        for (int i = 0; i < 200 && !d.ok("logs", id).equals(expected); i++) {
            Thread.sleep(25);
        }
        assertThat(d.ok("logs", id)).isEqualTo(expected);
    }
}
