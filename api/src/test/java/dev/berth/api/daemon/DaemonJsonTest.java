package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** daemon.json settings as containers see them. */
@Tag("root")
class DaemonJsonTest {
    @TempDir
    Path tmp;

    @Test
    void defaultUlimitsApplyUnlessTheContainerSetsItsOwnAndTooHighIsAClearError() throws Exception {
        Path root = tmp.resolve("d");
        Files.createDirectories(root);
        Files.writeString(root.resolve("daemon.json"),
                "{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 2048}}}");
        DaemonProcess d = DaemonProcess.startWithBusybox(root);
        try {
            assertThat(d.ok("run", "--rm", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).isEqualTo("1024\n2048");
            assertThat(d.ok("run", "--rm", "--ulimit", "nofile=512:600", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn"))
                    .isEqualTo("512\n600");
            // Above the daemon's own hard limit: only a holder of CAP_SYS_RESOURCE may go there.
            DaemonProcess.Result high = d.docker("run", "--rm", "--ulimit", "nofile=1048576:1048576", "busybox", "true");
            if (holdsSysResource()) {
                assertThat(high.exit()).as(high.err()).isZero();
            } else {
                assertThat(high.exit()).isNotZero();
                assertThat(high.err()).contains("setrlimit RLIMIT_NOFILE: operation not permitted");
            }
            assertThat(d.ok("ps", "-aq")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }

    @Test
    void aDockerHubNameIsPulledFromTheConfiguredMirror() throws Exception {
        try (RegistryServer mirror = RegistryServer.start(tmp.resolve("mirror"))) {
            // The mirror holds library/alpine:3.17 (our busybox under that name), pushed by a first daemon.
            DaemonProcess pusher = DaemonProcess.startWithBusybox(tmp.resolve("pusher"));
            try {
                String name = "127.0.0.1:" + mirror.port() + "/library/alpine:3.17";
                pusher.ok("tag", "busybox", name);
                pusher.ok("push", name);
            } finally {
                Leftovers.removeContainersAndStop(pusher, tmp);
            }
            Path root = tmp.resolve("d");
            Files.createDirectories(root);
            Files.writeString(root.resolve("daemon.json"), "{\"registry-mirrors\": [\"http://127.0.0.1:" + mirror.port() + "\"]}");
            DaemonProcess d = DaemonProcess.start(root);
            try {
                assertThat(d.ok("pull", "alpine:3.17")).contains("Status: Downloaded newer image for alpine:3.17");
                assertThat(d.ok("run", "--rm", "alpine:3.17", "echo", "from the mirror")).isEqualTo("from the mirror");
                assertThat(d.ok("images", "--format", "{{.Repository}}:{{.Tag}}")).isEqualTo("alpine:3.17");
            } finally {
                Leftovers.removeContainersAndStop(d, tmp);
            }
        }
    }

    /** CAP_SYS_RESOURCE (24) in this process's effective set, which the daemon it starts inherits. */
    private static boolean holdsSysResource() throws Exception {
        String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().split("\\s+")[1];
        return (Long.parseUnsignedLong(capEff, 16) & (1L << 24)) != 0;
    }
}
