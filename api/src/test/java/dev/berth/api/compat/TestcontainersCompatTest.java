package dev.berth.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.daemon.DaemonProcess;
import dev.berth.api.daemon.Leftovers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Testcontainers (2.0) against `berth daemon`: {@link TestcontainersMain} in a child JVM (it reads
 * DOCKER_HOST and its TESTCONTAINERS_* settings from the environment) runs a busybox
 * GenericContainer, waits for its log line, reads logs, execs, copies files in and out and stops it;
 * then copies before start, waits for a healthcheck, follows output, binds and mounts a tmpfs;
 * talks to an exposed port through its mapping; and checks that ImageFromDockerfile fails with
 * berth's message (build is not served yet).
 */
@Tag("root")
class TestcontainersCompatTest {
    @TempDir
    Path tmp;

    @Test
    void aGenericContainerStartsExecsCopiesAndStops() throws Exception {
        DaemonProcess d = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        try {
            Path scratch = Files.createDirectories(tmp.resolve("scratch"));
            Map<String, String> env = Map.of(
                    "DOCKER_HOST", "unix://" + d.socket,
                    "DOCKER_CONFIG", tmp.resolve("docker-config").toString(),
                    // Ryuk and the startup checks pull images (testcontainers/ryuk, alpine): nothing can be pulled here.
                    "TESTCONTAINERS_RYUK_DISABLED", "true",
                    "TESTCONTAINERS_CHECKS_DISABLE", "true",
                    // In a container (/.dockerenv), Testcontainers looks for the docker host's address
                    // by inspecting the "bridge" network, which berth does not serve yet.
                    "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
                    "HOME", tmp.toString());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ClientProcess.Result r = ClientProcess.run(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), TestcontainersMain.class.getName(), scratch.toString()),
                    env, tmp, 240);
            assertThat(r.exit()).as(r.describe()).isZero();
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("docker.available", "true");
            expected.put("docker.apiVersion", "1.47");
            expected.put("running", "true");
            expected.put("containerId.length", "64");
            expected.put("logs.stdout", "hello-from-testcontainers,ready");
            expected.put("logs.stderr", "starting");
            expected.put("exec.exit", "4");
            expected.put("exec.stdout", "exec-out");
            expected.put("exec.stderr", "exec-err");
            expected.put("copyIn.cat", "copied in");
            expected.put("copyIn.transferable", "transferable");
            expected.put("copyOut.file", "made inside");
            expected.put("copyOut.stream", "copied in");
            expected.put("inspect.label", "compat");
            expected.put("stopped.running", "false");
            expected.put("stopped.removed", "true");
            expected.put("health", "healthy");
            expected.put("followOutput", "later");
            expected.put("copyBeforeStart", "before start");
            expected.put("bind", "bound");
            expected.put("tmpfs", "1");
            // Not served yet, and said so: ports need bridge networking, images are not built.
            expected.put("exposedPorts", "pong");
            expected.put("build.refused", "true");
            expected.put("done", "true");
            assertThat(r.keyValues()).as(r.describe()).containsExactlyInAnyOrderEntriesOf(expected);
            // Its cleanup at exit (containers, networks, volumes, images labelled with its session) ran without error.
            assertThat(r.err()).as(r.describe()).doesNotContain("Exception");
            assertThat(d.ok("ps", "-aq")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }
}
