package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.RegistryServer;
import dev.berth.testkit.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI running containers through `berth daemon` (root, real kernel): the image
 * is loaded from an archive made on the spot, then run, logged, stopped and removed as a docker
 * user would. Afterwards nothing of the daemon's is left mounted.
 */
@Tag("root")
class DockerRunTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonWithBusybox() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    @Test
    void runPrintsAndRemoves() throws Exception {
        // Several times: the output of a program that exits at once must never be lost between
        // the attach and the start.
        for (int i = 0; i < 10; i++) {
            DaemonProcess.Result r = daemon.docker("run", "--rm", "busybox", "echo", "hello from berth " + i);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("hello from berth " + i + "\n");
        }
        assertThat(daemon.docker("ps", "-aq").out()).isBlank();
    }

    @Test
    void optionsBerthCannotCarryOutAreRefusedByNameAndLeaveNothing() throws Exception {
        String[][] cases = {
                {"--device-read-iops", "/dev/null:100", "BlkioDeviceReadIOps (--device-read-iops)"},
                {"--gpus", "all", "DeviceRequests (--gpus)"},
                {"--storage-opt", "size=1G", "StorageOpt (--storage-opt)"},
                {"--mac-address", "02:42:ac:11:00:09", "MacAddress (--mac-address)"},
                {"--cgroup-parent", "elsewhere", "CgroupParent (--cgroup-parent)"},
                {"--memory-swappiness", "10", "MemorySwappiness (--memory-swappiness)"},
                {"--runtime", "kata", "Runtime (--runtime)"}};
        for (String[] c : cases) {
            DaemonProcess.Result r = daemon.docker("run", "--rm", c[0], c[1], "busybox", "true");
            assertThat(r.exit()).as(c[0]).isEqualTo(125);
            assertThat(r.err()).as(c[0]).contains(c[2] + " is not supported by berth");
        }
        assertThat(daemon.docker("ps", "-aq").out()).isBlank();
        // what berth does anyway is accepted
        assertThat(daemon.docker("run", "--rm", "--runtime", "runc", "--userns", "host", "--isolation", "default",
                "busybox", "true").exit()).isZero();
    }

    @Test
    void aLinkPutsTheLinkedContainerInHostsUnderItsAlias() throws Exception {
        daemon.ok("run", "-d", "--name", "linked-db", "busybox", "sleep", "60");
        try {
            String ip = daemon.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "linked-db").trim();
            assertThat(daemon.ok("run", "--rm", "--link", "linked-db:database", "busybox", "cat", "/etc/hosts"))
                    .contains(ip + "\tdatabase linked-db");
        } finally {
            daemon.ok("rm", "-f", "linked-db");
        }
    }

    @Test
    void systemPruneRunsToTheEnd() throws Exception {
        // docker's system prune ends with the build cache (POST /build/prune): berth has none to prune
        daemon.ok("create", "--name", "prune-me", "busybox", "true");
        DaemonProcess.Result r = daemon.docker("system", "prune", "-f");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Deleted Containers:").contains("Total reclaimed space:");
        assertThat(daemon.docker("ps", "-aq", "--filter", "name=prune-me").out()).isBlank();
    }

    @Test
    void cgroupnsHostSharesTheHostsCgroupNamespaceAndPrivateGetsItsOwn() throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")).toString();
        DaemonProcess.Result shared = daemon.docker("run", "--rm", "--cgroupns", "host", "busybox", "readlink", "/proc/self/ns/cgroup");
        assertThat(shared.exit()).as(shared.err()).isZero();
        assertThat(shared.out().trim()).isEqualTo(host);
        DaemonProcess.Result own = daemon.docker("run", "--rm", "--cgroupns", "private", "busybox", "readlink", "/proc/self/ns/cgroup");
        assertThat(own.exit()).as(own.err()).isZero();
        assertThat(own.out().trim()).startsWith("cgroup:[").isNotEqualTo(host);
    }

    @Test
    void annotationsReachTheContainersSpec() throws Exception {
        DaemonProcess.Result r = daemon.docker("create", "--annotation", "org.example.tier=front", "busybox", "true");
        assertThat(r.exit()).as(r.err()).isZero();
        String id = r.out().trim();
        try {
            assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.Annotations}}", id).out())
                    .isEqualTo("{\"org.example.tier\":\"front\"}\n");
            // the OCI runtime gets them in config.json, as dockerd hands them to runc
            assertThat(Files.readString(daemon.root.resolve("exec/bundles").resolve(id).resolve("config.json")))
                    .contains("\"org.example.tier\"").contains("\"front\"");
        } finally {
            daemon.docker("rm", id);
        }
    }

    @Test
    void exitCodesAreDockers() throws Exception {
        assertThat(daemon.docker("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);
        DaemonProcess.Result missing = daemon.docker("run", "--rm", "busybox", "no-such-program");
        assertThat(missing.exit()).isEqualTo(127);
        assertThat(missing.err()).contains("executable file not found in $PATH");
        DaemonProcess.Result notRunnable = daemon.docker("run", "--rm", "busybox", "/etc/passwd");
        assertThat(notRunnable.exit()).isEqualTo(126);
        assertThat(notRunnable.err()).contains("permission denied");
        DaemonProcess.Result noImage = daemon.docker("run", "--rm", "no-such-image");
        assertThat(noImage.exit()).isEqualTo(125);
        assertThat(noImage.err()).contains("no-such-image");
    }

    @Test
    void initRunsAsPid1AndReapsAndPassesSignals() throws Exception {
        // With --init, PID 1 is the init and the command is its child; without, the command is PID 1.
        assertThat(daemon.docker("run", "--rm", "--init", "busybox", "sh", "-c", "echo $$; cat /proc/1/cmdline | tr '\\0' ' '").out())
                .isEqualTo("2\n/sbin/docker-init -- sh -c echo $$; cat /proc/1/cmdline | tr '\\0' ' ' ");
        assertThat(daemon.docker("run", "--rm", "busybox", "sh", "-c", "echo $$").out()).isEqualTo("1\n");
        // sh as PID 1 ignores SIGTERM; under the init it gets it and the stop is quick.
        String id = daemon.docker("run", "-d", "--init", "busybox", "sleep", "1000").out().trim();
        long start = System.nanoTime();
        assertThat(daemon.docker("stop", "-t", "5", id).exit()).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
        assertThat(daemon.docker("inspect", "--format", "{{.Path}} {{.State.ExitCode}}", id).out().trim()).isEqualTo("sleep 143");
        daemon.docker("rm", id);
    }

    @Test
    void pipedStdinReachesTheContainerAndItsEndClosesIt() throws Exception {
        Path input = tmp.resolve("stdin.txt");
        Files.writeString(input, "line one\nline two\n");
        DaemonProcess.Result r = daemon.dockerWithInput(input, "run", "--rm", "-i", "busybox", "sh", "-c", "wc -l; echo done");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().replaceAll(" +", "")).isEqualTo("2\ndone\n");
    }

    @Test
    void runItGetsATerminalFollowsItsSizeAndDetaches() throws Exception {
        // 30x100 at first, then 40x120: stty inside reports each; Ctrl-P Ctrl-Q detaches and
        // the container keeps running.
        String screen = new Terminal().size(30, 100).sleep(0.5)
                .type("echo size=$(stty size)\r").until("size=30 100", 20)
                .size(40, 120).sleep(0.5)
                .type("echo size=$(stty size)\r").until("size=40 120", 20)
                .type("\u0010\u0011")
                .run(tmp, daemon.dockerEnv(), DaemonProcess.dockerCli(), "run", "-it", "--name", "terminal", "busybox", "sh");
        assertThat(screen).contains("size=30 100").contains("size=40 120").contains("EXIT 0");
        assertThat(daemon.docker("inspect", "--format", "{{.State.Status}}", "terminal").out().trim()).isEqualTo("running");
        daemon.docker("rm", "-f", "terminal");
    }

    @Test
    void limitsAreSeenFromInsideAtTheTopOfTheCgroupMount() throws Exception {
        // v1: the container's own cgroup directories are bound over /sys/fs/cgroup/<controller>,
        // as runc does; v2: the cgroup namespace shows the container's cgroup as the root.
        DaemonProcess.Result r = daemon.docker("run", "--rm", "-m", "48m", "--pids-limit", "30", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max;"
                        + " cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max");
        assertThat(r.out()).as(r.err()).isEqualTo("50331648\n30\n");
    }

    @Test
    void envWorkdirUserAndHostnameApply() throws Exception {
        DaemonProcess.Result r = daemon.docker("run", "--rm", "-e", "GREETING=hi", "-w", "/tmp", "-u", "65534", "--hostname", "boxy",
                "busybox", "sh", "-c", "echo $GREETING $(pwd) $(id -u) $(hostname)");
        assertThat(r.out().trim()).as(r.err()).isEqualTo("hi /tmp 65534 boxy");
    }

    @Test
    void detachedLogsStopAndRemove() throws Exception {
        DaemonProcess.Result run = daemon.docker("run", "-d", "--name", "sleeper", "busybox", "sh", "-c", "echo started; sleep 60");
        assertThat(run.exit()).as(run.err()).isZero();
        String id = run.out().trim();
        assertThat(id).hasSize(64);
        assertThat(daemon.docker("ps", "--format", "{{.Names}} {{.State}}").out()).contains("sleeper running");
        for (int i = 0; i < 100 && !daemon.docker("logs", "sleeper").out().contains("started"); i++) {
            Thread.sleep(20);
        }
        assertThat(daemon.docker("logs", "sleeper").out()).isEqualTo("started\n");
        assertThat(daemon.docker("rm", "sleeper").err()).contains("container is running");
        assertThat(daemon.docker("stop", "-t", "1", "sleeper").exit()).isZero();
        assertThat(daemon.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "sleeper").out().trim())
                .isEqualTo("exited 137");
        assertThat(daemon.docker("rm", "sleeper").exit()).isZero();
        assertThat(daemon.docker("inspect", "sleeper").err()).contains("No such object: sleeper");
    }

    @Test
    void pullFromARegistryServerThenRun() throws Exception {
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry"))) {
            String image = registry.host() + "/test/busybox:1.0";
            Process copy = new ProcessBuilder("skopeo", "copy", "--dest-tls-verify=false",
                    "docker-archive:" + daemon.root.resolve("busybox.tar"), "docker://" + image).redirectErrorStream(true).start();
            String log = new String(copy.getInputStream().readAllBytes());
            assertThat(copy.waitFor()).as(log).isZero();
            DaemonProcess.Result pull = daemon.docker("pull", image);
            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).contains("Pull complete").contains("Digest: sha256:")
                    .contains("Downloaded newer image for " + image);
            DaemonProcess.Result run = daemon.docker("run", "--rm", image, "echo", "pulled");
            assertThat(run.out()).as(run.err()).isEqualTo("pulled\n");
            DaemonProcess.Result missing = daemon.docker("pull", registry.host() + "/test/nothing:here");
            assertThat(missing.exit()).isNotZero();
            assertThat(missing.err()).contains("not found");
        }
    }

    @Test
    void aMemoryLimitOomKillsWith137() throws Exception {
        DaemonProcess.Result r = daemon.docker("run", "--name", "oom", "-m", "16m", "busybox", "sh", "-c",
                "x=xxxxxxxxxxxxxxxx; while :; do x=$x$x; done");
        assertThat(r.exit()).isEqualTo(137);
        assertThat(daemon.docker("inspect", "--format", "{{.State.OOMKilled}}", "oom").out().trim()).isEqualTo("true");
        daemon.docker("rm", "oom");
    }
}
