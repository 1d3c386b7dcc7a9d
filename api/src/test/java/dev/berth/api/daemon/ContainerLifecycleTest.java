package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's life as the docker CLI drives it through `berth daemon`: wait, restart
 * policies, pause, rename, update, health checks, events, ps filters and prune.
 */
@Tag("root")
class ContainerLifecycleTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
    }

    @AfterAll
    static void removeEverything() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    /** Polls docker inspect --format until it prints {@code expected} (or fails after 20 s). */
    static String awaitInspect(String container, String format, String expected) throws Exception {
        String last = null;
        for (int i = 0; i < 400; i++) {
            last = daemon.docker("inspect", "--format", format, container).out().trim();
            if (last.equals(expected)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("inspect " + format + " of " + container + " stayed " + last + ", expected " + expected);
    }

    @Test
    void waitReturnsTheExitCode() throws Exception {
        String id = daemon.ok("run", "-d", "busybox", "sh", "-c", "sleep 0.5; exit 5");
        assertThat(daemon.ok("wait", id)).isEqualTo("5");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}", id)).isEqualTo("exited 5 0");
    }

    @Test
    void onFailureRestartsAtMostTheGivenNumberOfTimes() throws Exception {
        String id = daemon.ok("run", "-d", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3");
        awaitInspect(id, "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "exited 2 3");
        Thread.sleep(1000);
        assertThat(daemon.ok("inspect", "--format", "{{.RestartCount}}", id)).isEqualTo("2");
    }

    @Test
    void alwaysRestartsUntilStoppedAndStopCancelsIt() throws Exception {
        String id = daemon.ok("run", "-d", "--restart", "always", "busybox", "sh", "-c", "sleep 0.2");
        for (int i = 0; i < 200 && Integer.parseInt(daemon.ok("inspect", "--format", "{{.RestartCount}}", id)) < 2; i++) {
            Thread.sleep(50);
        }
        assertThat(Integer.parseInt(daemon.ok("inspect", "--format", "{{.RestartCount}}", id))).isGreaterThanOrEqualTo(2);
        daemon.ok("stop", "-t", "1", id);
        String count = daemon.ok("inspect", "--format", "{{.RestartCount}}", id);
        Thread.sleep(1500);
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}} {{.RestartCount}}", id)).isEqualTo("exited " + count);
    }

    @Test
    void aRestartPolicyWithRmIsRefused() throws Exception {
        // The docker CLI refuses this itself; other clients rely on the daemon.
        DaemonProcess.Result r = daemon.api("POST", "/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}");
        assertThat(r.exit()).isEqualTo(400);
        assertThat(r.out()).contains("can't create 'AutoRemove' container with restart policy");
        DaemonProcess.Result bad = daemon.api("POST", "/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}");
        assertThat(bad.exit()).isEqualTo(400);
        assertThat(bad.out()).contains("unknown policy 'sometimes'");
    }

    @Test
    void pauseUnpauseRenameAndRestart() throws Exception {
        String id = daemon.ok("run", "-d", "--name", "lifecycle-a", "busybox", "sleep", "1000");
        daemon.ok("pause", "lifecycle-a");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", id))
                .isEqualTo("paused true true");
        assertThat(daemon.docker("pause", id).err()).contains("is already paused");
        daemon.ok("unpause", id);
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}}", id)).isEqualTo("running");
        assertThat(daemon.docker("unpause", id).err()).contains("is not paused");

        daemon.ok("rename", "lifecycle-a", "lifecycle-b");
        assertThat(daemon.ok("inspect", "--format", "{{.Name}}", id)).isEqualTo("/lifecycle-b");
        assertThat(daemon.docker("inspect", "lifecycle-a").exit()).isNotZero();

        String pid = daemon.ok("inspect", "--format", "{{.State.Pid}}", id);
        daemon.ok("restart", "-t", "0", "lifecycle-b");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}}", id)).isEqualTo("running");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Pid}}", id)).isNotEqualTo(pid);
        daemon.ok("rm", "-f", id);
    }

    @Test
    void updateChangesTheLimitsOfARunningContainer() throws Exception {
        String id = daemon.ok("run", "-d", "-m", "64m", "busybox", "sleep", "1000");
        daemon.ok("update", "-m", "32m", "--memory-swap", "64m", "--pids-limit", "20", id);
        assertThat(daemon.ok("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", id))
                .isEqualTo("33554432 20");
        assertThat(CgroupFiles.read(id, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("33554432");
        assertThat(CgroupFiles.read(id, "pids", "pids.max", "pids.max")).isEqualTo("20");
        daemon.ok("rm", "-f", id);
    }

    @Test
    void blockIoThrottlesReachTheContainersCgroup() throws Exception {
        String disk;
        try (var devices = Files.list(Path.of("/sys/block"))) {
            disk = devices.map(p -> p.getFileName().toString()).filter(n -> !n.matches("(loop|ram|zram|nbd).*")).sorted()
                    .findFirst().orElseThrow(() -> new AssertionError("no block device on this machine"));
        }
        String numbers = Files.readString(Path.of("/sys/block", disk, "dev")).trim();
        String out = daemon.ok("run", "--rm", "--network", "none", "--device-read-bps", "/dev/" + disk + ":1mb",
                "--device-write-bps", "/dev/" + disk + ":2mb", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device"
                        + " 2>/dev/null || cat /sys/fs/cgroup/io.max");
        // v1: one file per direction; v2: io.max's "MAJ:MIN rbps=... wbps=..." line.
        assertThat(out).satisfiesAnyOf(o -> assertThat(o).contains(numbers + " 1048576", numbers + " 2097152"),
                o -> assertThat(o).contains(numbers + " rbps=1048576 wbps=2097152"));
        assertThat(daemon.docker("run", "--rm", "--device-read-bps", "/dev/null:1mb", "busybox", "true").err())
                .contains("invalid device path /dev/null: not a block device");
    }

    @Test
    void healthChecksDecideHealthyAndUnhealthy() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        String good = daemon.ok("run", "-d", "--health-cmd", "true", "--health-interval", "200ms", "busybox", "sleep", "1000");
        String bad = daemon.ok("run", "-d", "--health-cmd", "echo failing; exit 1", "--health-interval", "200ms",
                "--health-retries", "2", "busybox", "sleep", "1000");
        awaitInspect(good, "{{.State.Health.Status}}", "healthy");
        awaitInspect(bad, "{{.State.Health.Status}}", "unhealthy");
        assertThat(daemon.ok("inspect", "--format", "{{(index .State.Health.Log 0).Output}}", bad)).contains("failing");
        assertThat(daemon.ok("ps", "--filter", "id=" + good, "--format", "{{.Status}}")).endsWith("(healthy)");
        assertThat(daemon.ok("ps", "-q", "--no-trunc", "--filter", "health=unhealthy")).isEqualTo(bad);
        // Each probe is an exec on /events, as dockerd's are.
        String until = String.valueOf(Instant.now().getEpochSecond() + 1);
        assertThat(daemon.ok("events", "--since", String.valueOf(since), "--until", until, "--filter", "container=" + bad,
                "--filter", "event=exec_create", "--filter", "event=exec_die", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}")
                .lines().distinct().toList()).contains("exec_create: /bin/sh -c echo failing; exit 1 <no value>", "exec_die 1");
        daemon.ok("rm", "-f", good, bad);
    }

    @Test
    void eventsReplayWhatHappenedWithFilters() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        String id = daemon.ok("run", "-d", "--name", "lifecycle-events", "busybox", "sh", "-c", "exit 0");
        daemon.ok("wait", id);
        daemon.ok("rm", id);
        long until = Instant.now().getEpochSecond() + 1;
        String actions = daemon.ok("events", "--since", String.valueOf(since), "--until", String.valueOf(until),
                "--filter", "container=lifecycle-events", "--format", "{{.Action}}");
        assertThat(actions.lines().toList()).containsSubsequence("create", "start", "die", "destroy");
        String dies = daemon.ok("events", "--since", String.valueOf(since), "--until", String.valueOf(until),
                "--filter", "container=" + id, "--filter", "event=die", "--format", "{{.Actor.Attributes.exitCode}}");
        assertThat(dies).isEqualTo("0");

        daemon.ok("tag", "busybox", "lifecycle-events:tagged");
        daemon.ok("rmi", "lifecycle-events:tagged");
        daemon.ok("volume", "create", "lifecycle-events-volume");
        daemon.ok("volume", "rm", "lifecycle-events-volume");
        String later = String.valueOf(Instant.now().getEpochSecond() + 1);
        assertThat(daemon.ok("events", "--since", String.valueOf(since), "--until", later, "--filter", "type=image",
                "--filter", "image=lifecycle-events:tagged", "--format", "{{.Action}} {{.Actor.Attributes.name}}").lines().toList())
                .containsExactly("tag lifecycle-events:tagged", "untag lifecycle-events:tagged");
        assertThat(daemon.ok("events", "--since", String.valueOf(since), "--until", later, "--filter", "type=volume",
                "--filter", "volume=lifecycle-events-volume", "--format", "{{.Action}}").lines().toList())
                .containsExactly("create", "destroy");
    }

    @Test
    void psFiltersAndPrune() throws Exception {
        String exited = daemon.ok("run", "-d", "--label", "lifecycle=prune", "busybox", "sh", "-c", "exit 4");
        daemon.ok("wait", exited);
        String running = daemon.ok("run", "-d", "--label", "lifecycle=prune", "busybox", "sleep", "1000");
        assertThat(daemon.ok("ps", "-aq", "--no-trunc", "--filter", "label=lifecycle=prune", "--filter", "status=exited"))
                .isEqualTo(exited);
        assertThat(daemon.ok("ps", "-q", "--no-trunc", "--filter", "label=lifecycle=prune")).isEqualTo(running);
        assertThat(daemon.ok("ps", "-aq", "--no-trunc", "--filter", "exited=4")).isEqualTo(exited);
        assertThat(daemon.docker("ps", "--filter", "bogus=1").err()).contains("invalid filter 'bogus'");
        String pruned = daemon.ok("container", "prune", "-f", "--filter", "label=lifecycle=prune");
        assertThat(pruned).contains(exited);
        assertThat(daemon.ok("ps", "-aq", "--no-trunc", "--filter", "label=lifecycle=prune")).isEqualTo(running);
        daemon.ok("rm", "-f", running);
    }

    @Test
    void logsFollowStreamsUntilTheContainerExits() throws Exception {
        String id = daemon.ok("run", "-d", "busybox", "sh", "-c", "for i in 1 2 3; do echo tick$i; echo tock$i >&2; sleep 0.3; done");
        DaemonProcess.Result followed = daemon.docker("logs", "-f", id);
        assertThat(followed.out()).isEqualTo("tick1\ntick2\ntick3\n");
        assertThat(followed.err()).isEqualTo("tock1\ntock2\ntock3\n");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Status}}", id)).isEqualTo("exited");
        // The last two records are tick3 (stdout) and tock3 (stderr).
        assertThat(daemon.ok("logs", "-t", "--tail", "2", id)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z tick3");
        daemon.ok("rm", id);
    }

    @Test
    void logsTailSinceAndRotation() throws Exception {
        String id = daemon.ok("run", "-d", "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done");
        daemon.ok("wait", id);
        assertThat(daemon.ok("logs", "--tail", "2", id)).isEqualTo("line4\nline5");
        assertThat(daemon.ok("logs", "--tail", "all", id).lines().count()).isEqualTo(5);
        assertThat(daemon.ok("logs", "--since", String.valueOf(Instant.now().getEpochSecond() + 60), id)).isEmpty();
        assertThat(daemon.ok("logs", "--until", "1", id)).isEmpty();

        // 300 lines of 32 bytes through files of 1 KiB, 3 of them kept: the oldest are gone,
        // what is left is in order and ends with the last line.
        String rotating = daemon.ok("run", "-d", "--log-opt", "max-size=1k", "--log-opt", "max-file=3", "busybox", "sh", "-c",
                "i=0; while [ $i -lt 300 ]; do i=$((i+1)); printf 'line %026d\\n' $i; done");
        daemon.ok("wait", rotating);
        List<String> kept = daemon.ok("logs", rotating).lines().toList();
        assertThat(kept).hasSizeBetween(10, 299);
        assertThat(kept.getLast()).isEqualTo(String.format("line %026d", 300));
        for (int i = 1; i < kept.size(); i++) {
            assertThat(Long.parseLong(kept.get(i).substring(5))).isEqualTo(Long.parseLong(kept.get(i - 1).substring(5)) + 1);
        }
        DaemonProcess.Result bad = daemon.docker("run", "-d", "--log-driver", "syslog", "busybox", "true");
        assertThat(bad.err()).contains("logging driver \"syslog\" is not supported");
        daemon.ok("rm", id, rotating);
    }

    @Test
    void systemDfCountsWhatContainersAndVolumesTakeOnDisk() throws Exception {
        String id = daemon.ok("run", "-v", "lifecycle-df:/d", "busybox", "sh", "-c",
                "dd if=/dev/zero of=/d/x bs=1k count=100 2>/dev/null; dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null; echo $HOSTNAME");
        String containers = daemon.ok("system", "df", "-v", "--format", "{{range .Containers}}{{.ID}} {{.Size}}\n{{end}}");
        String line = containers.lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow(); // id: the short one, the hostname
        assertThat(line.split(" ", 2)[1]).matches("3\\d\\d(\\.\\d+)?kB");
        // docker ps -s: the same size, with the image's ("virtual") after it.
        assertThat(daemon.ok("ps", "-as", "--filter", "id=" + id, "--format", "{{.Size}}")).matches("3\\d\\d(\\.\\d+)?kB \\(virtual 2\\.\\d+MB\\)");
        String volumes = daemon.ok("system", "df", "-v", "--format", "{{range .Volumes}}{{.Name}} {{.Links}} {{.Size}}\n{{end}}");
        assertThat(volumes.lines().filter(l -> l.startsWith("lifecycle-df ")).findFirst().orElseThrow())
                .matches("lifecycle-df 1 10\\d(\\.\\d+)?kB");
        daemon.ok("rm", id);
        daemon.ok("volume", "rm", "lifecycle-df");
    }

    /** A container's cgroup files as the kernel has them (v1 controller dirs or the v2 unified tree). */
    static final class CgroupFiles {
        static String read(String id, String controller, String v1File, String v2File) throws Exception {
            for (Path p : List.of(Path.of("/sys/fs/cgroup", controller, "berth", id, v1File), Path.of("/sys/fs/cgroup/berth", id, v2File))) {
                if (Files.exists(p)) {
                    return Files.readString(p).trim();
                }
            }
            throw new AssertionError("no cgroup file " + v1File + " for " + id);
        }
    }
}
