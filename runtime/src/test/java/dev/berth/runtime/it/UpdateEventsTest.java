package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cgroups.CgroupManager;
import dev.berth.cgroups.CgroupV1;
import dev.berth.cgroups.CgroupV2;
import dev.berth.oci.runtime.Json;
import dev.berth.runtime.BerthRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `update` and `events` against a running busybox container (root, real kernel). */
class UpdateEventsTest extends ContainerTest {
    Process events;

    @BeforeEach
    void sleepingProgram() throws Exception {
        bundle.args("sleep", "100").write();
    }

    /** Runs before the base class's clean-up, which could not delete a container being watched. */
    @AfterEach
    void stopEvents() throws Exception {
        if (events != null && events.isAlive()) {
            events.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    void runDetached() throws Exception {
        RuntimeCli.Result r = cli.run("run", "--detach", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** The container's cgroup as the runtime recorded it, rather than a path guessed here. */
    CgroupManager cgroup() throws Exception {
        return new BerthRuntime(cli.root, Path.of("/nonexistent"), w -> {}).load(id).cgroup();
    }

    /** A limit file of the container's cgroup: {@code v1File} in the controller's v1 hierarchy, else {@code v2File}. */
    String limit(String controller, String v1File, String v2File) throws Exception {
        CgroupManager cg = cgroup();
        Path file = switch (cg) {
            case CgroupV1 v1 when v1.layout().v1(controller).isPresent() ->
                    v1.layout().v1(controller).get().dir(cg.path()).resolve(v1File);
            case CgroupV1 v1 -> v1.layout().unified().dir(cg.path()).resolve(v2File);
            case CgroupV2 v2 -> v2.dir().resolve(v2File);
            default -> throw new AssertionError("no cgroups on this host: " + cg);
        };
        return Files.readString(file).trim();
    }

    String memoryLimit() throws Exception {
        return limit("memory", "memory.limit_in_bytes", "memory.max");
    }

    String pidsLimit() throws Exception {
        return limit("pids", "pids.max", "pids.max");
    }

    void awaitStopped() throws Exception {
        for (int i = 0; i < 500 && !cli.run("state", id).out().contains("\"stopped\""); i++) {
            Thread.sleep(20);
        }
        assertThat(cli.run("state", id).out()).contains("\"stopped\"");
    }

    @Test
    void updateWritesTheGivenLimitsAndLeavesTheRest() throws Exception {
        runDetached();
        RuntimeCli.Result r = cli.run("update", "--memory", "64m", "--pids-limit", "20", id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.both()).isEmpty();
        assertThat(memoryLimit()).isEqualTo("67108864");
        assertThat(pidsLimit()).isEqualTo("20");

        r = cli.run("update", "--pids-limit", "30", id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(pidsLimit()).isEqualTo("30");
        assertThat(memoryLimit()).isEqualTo("67108864");
    }

    @Test
    void updateReadsALinuxResourcesFile() throws Exception {
        runDetached();
        // runc's documented template: its zeros mean "unchanged", so only memory and pids move.
        Path file = Files.writeString(tmp.resolve("resources.json"), """
                {"memory": {"limit": 33554432, "reservation": 0, "swap": 0},
                 "cpu": {"shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0, "realtimePeriod": 0, "cpus": "", "mems": ""},
                 "blockIO": {"weight": 0}, "pids": {"limit": 7}}""");
        RuntimeCli.Result r = cli.run("update", "-r", file.toString(), "--pids-limit", "99", id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(memoryLimit()).isEqualTo("33554432");
        assertThat(pidsLimit()).as("flags are ignored with -r, as in runc").isEqualTo("7");

        RuntimeCli.Result missing = cli.run("update", "-r", tmp.resolve("nope.json").toString(), id);
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.json: no such file or directory");
    }

    @Test
    void aBadValueIsAOneLineErrorNamingTheFlag() throws Exception {
        runDetached();
        String before = memoryLimit();
        RuntimeCli.Result r = cli.run("update", "--memory", "64x", id);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .contains("level=error").contains("invalid value for memory: invalid size: '64x'");
        assertThat(memoryLimit()).isEqualTo(before);

        RuntimeCli.Result l3 = cli.run("update", "--l3-cache-schema", "L3:0=f", id);
        assertThat(l3.exit()).isEqualTo(1);
        assertThat(l3.err()).contains("not supported");
    }

    @Test
    void eventsStatsPrintsOneJsonLineInRuncsShape() throws Exception {
        runDetached();
        cli.run("update", "--pids-limit", "20", id);
        RuntimeCli.Result r = cli.run("events", "--stats", id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode e = Json.mapper().readTree(r.out());
        assertThat(e.get("type").asText()).isEqualTo("stats");
        assertThat(e.get("id").asText()).isEqualTo(id);
        JsonNode d = e.get("data");
        assertThat(d.at("/pids/current").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(d.at("/pids/limit").asLong()).isEqualTo(20);
        assertThat(d.at("/memory/usage/usage").asLong()).isPositive();
        assertThat(d.at("/memory/usage").has("limit")).isTrue();
        assertThat(d.at("/cpu/usage").has("kernel")).isTrue();
        assertThat(d.at("/cpu").has("throttling")).isTrue();

        cli.run("kill", id, "KILL");
        awaitStopped();
        RuntimeCli.Result stopped = cli.run("events", "--stats", id);
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err()).contains("container with id " + id + " is not running");
    }

    /** Starts `events` in the background, its stdout going to a file. */
    Path startEvents(String... flags) throws Exception {
        Path out = tmp.resolve("events.out");
        List<String> cmd = new ArrayList<>(List.of(RuntimeCli.LAUNCHER.toString(), "--root", cli.root.toString(), "events"));
        cmd.addAll(List.of(flags));
        cmd.add(id);
        events = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("events.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return out;
    }

    List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file).lines().toList() : List.of();
    }

    @Test
    void streamedEventsEndByThemselvesWhenTheContainerIsKilled() throws Exception {
        runDetached();
        Path out = startEvents("--interval", "200ms");
        for (int i = 0; i < 300 && lines(out).size() < 3; i++) {
            Thread.sleep(50);
        }
        assertThat(lines(out)).as(Files.readString(tmp.resolve("events.err"))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(cli.run("kill", id, "KILL").exit()).isZero();
        assertThat(events.waitFor(15, TimeUnit.SECONDS)).as("events ends after the container stops").isTrue();
        assertThat(events.exitValue()).as(Files.readString(tmp.resolve("events.err"))).isZero();
        for (String line : lines(out)) {
            JsonNode e = Json.mapper().readTree(line);
            assertThat(e.get("type").asText()).isEqualTo("stats");
            assertThat(e.get("id").asText()).isEqualTo(id);
            assertThat(e.at("/data/memory/usage").has("limit")).isTrue();
        }
    }

    @Test
    void anOomKillIsAnEventBeforeTheStreamEnds() throws Exception {
        bundle.resources().putObject("memory").put("limit", 32L << 20).put("swap", 32L << 20);
        // Waits for /go, made once events is watching, then doubles a shell variable until the OOM killer ends it.
        bundle.args("sh", "-c", "while [ ! -e /go ]; do sleep 0.05; done; x=xxxxxxxxxxxxxxxx; while :; do x=$x$x; done").write();
        runDetached();
        Path out = startEvents("--interval", "300ms");
        for (int i = 0; i < 300 && lines(out).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(lines(out)).as(Files.readString(tmp.resolve("events.err"))).isNotEmpty();
        Files.createFile(bundle.rootfs().resolve("go"));
        assertThat(events.waitFor(30, TimeUnit.SECONDS)).as("events ends after the OOM kill").isTrue();
        assertThat(events.exitValue()).as(Files.readString(tmp.resolve("events.err"))).isZero();
        assertThat(lines(out)).contains("{\"type\":\"oom\",\"id\":\"" + id + "\"}");
    }
}
