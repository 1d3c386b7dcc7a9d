package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.runtime.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `docker top` and `docker stats` through `berth daemon` (root, real kernel, real cgroups, the real docker CLI). */
@Tag("root")
class DockerTopStatsTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonAndContainer() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        DaemonProcess.Result run = daemon.docker("run", "-d", "--name", "watched", "-m", "64m", "--pids-limit", "50",
                "busybox", "sh", "-c", "sleep 600 & sleep 601");
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    @Test
    void topListsTheContainersProcessesOnly() throws Exception {
        DaemonProcess.Result top = awaitTop("sleep 601");
        List<String> lines = top.out().lines().toList();
        assertThat(lines.getFirst()).contains("UID").contains("PID").contains("CMD");
        assertThat(lines).hasSize(3); // titles and the two sleeps (sh execs its last command)
        assertThat(top.out()).contains("sleep 600").contains("sleep 601").doesNotContain("berth");
    }

    @Test
    void topTakesPsArguments() throws Exception {
        awaitTop("sleep 601");
        DaemonProcess.Result top = daemon.docker("top", "watched", "-o", "pid,comm");
        assertThat(top.exit()).as(top.err()).isZero();
        List<String> lines = top.out().lines().toList();
        assertThat(lines.getFirst()).matches("PID\\s+COMMAND\\s*");
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("\\d+\\s+(sh|sleep)\\s*"));
    }

    @Test
    void topOfAStoppedContainerIsAnError() throws Exception {
        assertThat(daemon.docker("create", "--name", "notrunning", "busybox", "true").exit()).isZero();
        DaemonProcess.Result top = daemon.docker("top", "notrunning");
        assertThat(top.exit()).isNotZero();
        assertThat(top.err()).contains("is not running");
    }

    @Test
    void statsShowTheMemoryLimitAndUsage() throws Exception {
        DaemonProcess.Result stats = daemon.docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}} {{.CPUPerc}}", "watched");
        assertThat(stats.exit()).as(stats.err()).isZero();
        // e.g. "watched 312KiB / 64MiB 2 0.00%": a non-zero usage under the -m limit
        assertThat(stats.out().trim()).matches("watched \\d+(\\.\\d+)?[KM]iB / 64MiB 2 \\d+\\.\\d+%");
        assertThat(stats.out()).doesNotContain(" 0B /");
    }

    @Test
    void statsOfAStoppedContainerAreEmpty() throws Exception {
        assertThat(daemon.docker("create", "--name", "idle", "busybox", "true").exit()).isZero();
        DaemonProcess.Result stats = daemon.docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", "idle");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out().trim()).isEqualTo("idle 0B / 0B");
    }

    @Test
    void statsJsonHasDockersShapeAndStreams() throws Exception {
        JsonNode one = Json.mapper().readTree(ApiCurl.call(daemon, "GET", "/containers/watched/stats?stream=false&one-shot=true", null));
        assertThat(one.path("name").asText()).isEqualTo("/watched");
        assertThat(one.path("id").asText()).hasSize(64);
        assertThat(one.path("cpu_stats").path("cpu_usage").path("total_usage").asLong()).isPositive();
        assertThat(one.path("cpu_stats").path("system_cpu_usage").asLong()).isPositive();
        assertThat(one.path("cpu_stats").path("online_cpus").asInt()).isPositive();
        assertThat(one.path("memory_stats").path("limit").asLong()).isEqualTo(64L << 20);
        assertThat(one.path("memory_stats").path("usage").asLong()).isPositive();
        assertThat(one.path("memory_stats").path("stats").size()).isPositive();
        assertThat(one.path("pids_stats").path("current").asInt()).isEqualTo(2);
        assertThat(one.path("pids_stats").path("limit").asInt()).isEqualTo(50);
        // Streaming: a sample a second, each with the previous one as precpu_stats; curl stops after 2.5 s.
        String streamed = ApiCurl.call(daemon, "GET", "/containers/watched/stats", null, "-m", "2.5");
        List<JsonNode> docs = streamed.lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(docs).hasSizeGreaterThanOrEqualTo(2);
        assertThat(docs.get(1).path("precpu_stats").path("cpu_usage").path("total_usage").asLong())
                .isEqualTo(docs.get(0).path("cpu_stats").path("cpu_usage").path("total_usage").asLong());
    }

    /** The container's shell starts its sleeps a moment after `run` returns. */
    private static DaemonProcess.Result awaitTop(String wanted) throws Exception {
        DaemonProcess.Result top = daemon.docker("top", "watched");
        for (int i = 0; i < 50 && !top.out().contains(wanted); i++) {
            Thread.sleep(50);
            top = daemon.docker("top", "watched");
        }
        assertThat(top.exit()).as(top.err()).isZero();
        return top;
    }
}
