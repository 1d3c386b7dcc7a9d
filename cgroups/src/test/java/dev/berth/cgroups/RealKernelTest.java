package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.berth.cgroups.Res.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The managers against this machine's real cgroup filesystem, as root. Every test works under a
 * fresh /berth-test-&lt;random&gt; and checks, after destroy() and again in @AfterEach, that nothing
 * of it is left in any hierarchy.
 */
@Tag("root")
class RealKernelTest {
    static final long MIB = 1 << 20;

    CgroupLayout layout;
    String base;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void requireRootAndCgroups() throws IOException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
        layout = CgroupLayout.detect();
        assumeTrue(layout.mode() != CgroupLayout.Mode.NONE, "no cgroup filesystem");
        base = "/berth-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        // Whatever a failed test left: thaw, then rmdir deepest first.
        for (Path top : testDirs()) {
            try (Stream<Path> tree = Files.walk(top)) {
                for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    if (Files.exists(d.resolve("freezer.state"))) Files.writeString(d.resolve("freezer.state"), "THAWED");
                    if (Files.exists(d.resolve("cgroup.freeze"))) Files.writeString(d.resolve("cgroup.freeze"), "0");
                    for (int i = 0; i < 100 && Files.exists(d); i++) {
                        try {
                            Files.delete(d);
                        } catch (IOException busy) {
                            Thread.sleep(20);
                        }
                    }
                }
            }
        }
        assertThat(testDirs()).as("directories of %s left behind", base).isEmpty();
    }

    /** This test's top directory in every hierarchy where it exists. */
    List<Path> testDirs() {
        List<Hierarchy> all = new ArrayList<>(layout.hierarchies());
        if (layout.unified() != null) all.add(layout.unified());
        return all.stream().map(h -> h.dir(base)).filter(Files::isDirectory).toList();
    }

    Process start(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    static void join(CgroupManager m, long pid) throws IOException {
        for (Path procs : m.procsFiles()) {
            Files.writeString(procs, Long.toString(pid));
        }
    }

    static String file(CgroupManager m, String controller, String name) throws IOException {
        CgroupLayout l = ((CgroupV1) m).layout();
        Path dir = l.v1(controller).map(h -> h.dir(m.path()))
                .orElseGet(() -> l.unified().dir(m.path()));
        return Files.readString(dir.resolve(name)).strip();
    }

    /** A real block device's "major:minor" for throttling, or null. */
    static long[] blockDevice() throws IOException {
        try (Stream<Path> devs = Files.list(Path.of("/sys/block"))) {
            for (Path d : devs.sorted().toList()) {
                String n = d.getFileName().toString();
                if (n.startsWith("loop") || n.startsWith("ram") || n.startsWith("zram") || !Files.exists(d.resolve("dev"))) continue;
                String[] mm = Files.readString(d.resolve("dev")).strip().split(":");
                return new long[] {Long.parseLong(mm[0]), Long.parseLong(mm[1])};
            }
        }
        return null;
    }

    @Test
    void fullLifecycleOnTheRealKernel() throws Exception {
        assumeTrue(layout.mode() != CgroupLayout.Mode.V2, "this test reads v1 files");
        CgroupManager m = CgroupManager.open(base + "/ctr");
        assertThat(m).isInstanceOf(CgroupV1.class);
        m.create();

        for (Path procs : m.procsFiles()) {
            assertThat(procs).exists();
        }
        // A new v1 cpuset cgroup must have been given its parent's cpus and mems.
        if (layout.v1("cpuset").isPresent()) {
            assertThat(file(m, "cpuset", "cpuset.cpus")).isNotEmpty();
            assertThat(file(m, "cpuset", "cpuset.mems")).isNotEmpty();
        }

        long[] dev = blockDevice();
        boolean bfqOrCfq = layout.v1("blkio").isPresent()
                && (Files.exists(layout.v1("blkio").get().dir(m.path()).resolve("blkio.weight"))
                || Files.exists(layout.v1("blkio").get().dir(m.path()).resolve("blkio.bfq.weight")));
        m.apply(res()
                .memory(new Spec.Memory(64 * MIB, 32 * MIB, 128 * MIB, null, null, 10L, null, null, null))
                .cpu(new Spec.Cpu(512L, 50000L, null, 100000L, null, null, "0", "0", null))
                .pids(32)
                .blockIO(new Spec.BlockIO(bfqOrCfq ? 300 : null, null, null,
                        dev == null ? null : List.of(new Spec.ThrottleDevice(dev[0], dev[1], 1048576L)), null, null, null))
                .devices(new Spec.DeviceCgroup(false, null, null, null, "rwm"),
                        new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm"),
                        new Spec.DeviceCgroup(true, "c", 1L, 9L, "rwm"))
                .build());

        assertThat(file(m, "memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(64 * MIB));
        assertThat(file(m, "memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(128 * MIB));
        assertThat(file(m, "memory", "memory.soft_limit_in_bytes")).isEqualTo(Long.toString(32 * MIB));
        assertThat(file(m, "memory", "memory.swappiness")).isEqualTo("10");
        assertThat(file(m, "cpu", "cpu.shares")).isEqualTo("512");
        assertThat(file(m, "cpu", "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(file(m, "cpu", "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(file(m, "cpuset", "cpuset.cpus")).isEqualTo("0");
        assertThat(file(m, "pids", "pids.max")).isEqualTo("32");
        assertThat(file(m, "devices", "devices.list")).isEqualTo("c 1:3 rwm\nc 1:9 rwm");
        if (bfqOrCfq) {
            Path blkio = layout.v1("blkio").get().dir(m.path());
            String f = Files.exists(blkio.resolve("blkio.weight")) ? "blkio.weight" : "blkio.bfq.weight";
            assertThat(Files.readString(blkio.resolve(f))).contains("300");
        }
        if (dev != null) {
            assertThat(file(m, "blkio", "blkio.throttle.read_bps_device")).isEqualTo(dev[0] + ":" + dev[1] + " 1048576");
        }

        // A real process joins every hierarchy.
        Process sleep = start("sleep", "30");
        join(m, sleep.pid());
        assertThat(m.pids()).containsExactly((int) sleep.pid());
        for (String line : Files.readAllLines(Path.of("/proc/" + sleep.pid() + "/cgroup"))) {
            assertThat(line).as("/proc/%d/cgroup", sleep.pid()).endsWith(":" + m.path());
        }
        CgroupStats stats = m.stats();
        assertThat(stats.pids().current()).isEqualTo(1);
        assertThat(stats.pids().limit()).isEqualTo(32);
        assertThat(stats.memory().limit()).isEqualTo(64 * MIB);
        assertThat(stats.cpu().usageTotalNs()).isGreaterThanOrEqualTo(0);

        m.freeze();
        assertThat(m.frozen()).isTrue();
        if (layout.v1("freezer").isPresent()) {
            assertThat(file(m, "freezer", "freezer.state")).isEqualTo("FROZEN");
        }
        assertThat(Files.readString(Path.of("/proc/" + sleep.pid() + "/status"))).containsPattern("State:\\s+[DS]");
        m.thaw();
        assertThat(m.frozen()).isFalse();

        // update: lowering below the current limit and raising above the current memsw, both of
        // which the kernel refuses in the wrong order.
        Path memsw = layout.v1("memory").get().dir(m.path()).resolve("memory.memsw.limit_in_bytes");
        assertThatThrownBy(() -> Files.writeString(memsw, Long.toString(48 * MIB)))
                .as("the kernel enforces limit <= memsw").isInstanceOf(IOException.class);
        m.apply(res().memory(32 * MIB, null, 48 * MIB).build());
        assertThat(file(m, "memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(32 * MIB));
        assertThat(file(m, "memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(48 * MIB));
        m.apply(res().memory(256 * MIB, null, 512 * MIB).build());
        assertThat(file(m, "memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(256 * MIB));
        assertThat(file(m, "memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(512 * MIB));
        m.apply(res().memory(-1L, null, null).build());
        assertThat(file(m, "memory", "memory.limit_in_bytes")).isEqualTo("9223372036854771712");

        sleep.destroyForcibly();
        sleep.waitFor();
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void kernelRefusalsComeBackNamingFieldAndFile() {
        CgroupManager m = CgroupManager.open(base + "/ctr");
        m.create();
        assertThatThrownBy(() -> m.apply(res().cpus("4096", null).build()))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.cpu.cpus: write cpuset.cpus: ")
                .hasMessageContaining("(value \"4096\""); // ERANGE on 6.x kernels, EINVAL on older ones
        if (m instanceof CgroupV1) {
            assertThatThrownBy(() -> m.apply(res().shares(1).build()))
                    .hasMessageStartingWith("linux.resources.cpu.shares: the kernel set cpu.shares to 2");
            assertThatThrownBy(() -> m.apply(res().unified(java.util.Map.of("memory.high", "1")).build()))
                    .hasMessageStartingWith("linux.resources.unified: requires cgroup v2");
            assertThatThrownBy(() -> m.apply(res().blockIO(new Spec.BlockIO(null, 500, null, null, null, null, null)).build()))
                    .hasMessageStartingWith("linux.resources.blockIO.leafWeight: ");
            assertThatThrownBy(() -> m.apply(res().memory(new Spec.Memory(null, null, null, null, null, 201L, null, null, null)).build())) // 0..200 since 5.8
                    .hasMessageStartingWith("linux.resources.memory.swappiness: write memory.swappiness: Invalid argument");
        }
        assertThatThrownBy(() -> m.apply(res().hugetlb("3MB", MIB).build()))
                .hasMessageStartingWith("linux.resources.hugepageLimits");
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void hugetlbLimitGoesWhereTheControllerIs() throws Exception {
        boolean inV1 = layout.v1("hugetlb").isPresent();
        assumeTrue(inV1 || layout.unifiedControllers().contains("hugetlb"), "no hugetlb controller");
        CgroupManager m = CgroupManager.open(base + "/ctr");
        m.create();
        m.apply(res().hugetlb("2MB", 4 * MIB).build());
        Path dir = inV1 ? layout.v1("hugetlb").get().dir(m.path()) : layout.unified().dir(m.path());
        assertThat(Files.readString(dir.resolve(inV1 ? "hugetlb.2MB.limit_in_bytes" : "hugetlb.2MB.max")).strip())
                .isEqualTo(Long.toString(4 * MIB));
        assertThat(m.stats().hugetlb()).extracting(CgroupStats.HugetlbStats::pageSize).contains("2MB");
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void deviceRulesAreEnforced() throws Exception {
        assumeTrue(layout.v1("devices").isPresent(), "v1 devices controller");
        CgroupManager m = CgroupManager.open(base + "/ctr");
        m.create();
        // /dev/null (1:3) allowed, /dev/zero (1:5) not.
        m.apply(res().devices(new Spec.DeviceCgroup(false, null, null, null, "rwm"),
                new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm")).build());
        Process sh = start("sh", "-c", "read go; head -c 1 /dev/zero >/dev/null && echo zero-ok || echo zero-denied;"
                + " echo x >/dev/null && echo null-ok");
        join(m, sh.pid());
        try (Writer w = new OutputStreamWriter(sh.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("go\n");
        }
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
            out = String.join("\n", r.lines().toList());
        }
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("zero-denied").contains("null-ok").doesNotContain("zero-ok");
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void oomKillsAreCounted() throws Exception {
        CgroupManager m = CgroupManager.open(base + "/ctr");
        m.create();
        m.apply(res().memory(32 * MIB, null, 32 * MIB).build()); // no swap to escape to
        assertThat(m.oomKillCount()).isZero();
        // The shell holds the whole 200 MB in a variable: far over the limit.
        Process hog = start("sh", "-c", "read go; x=$(head -c 200000000 /dev/zero | tr '\\0' x); echo survived");
        join(m, hog.pid());
        try (Writer w = new OutputStreamWriter(hog.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("go\n");
        }
        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long deadline = System.currentTimeMillis() + 5000;
        while (m.oomKillCount() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(m.oomKillCount()).isGreaterThanOrEqualTo(1);
        assertThat(m.stats().memory().oomKills()).isGreaterThanOrEqualTo(1);
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void destroyWaitsForAKilledProcessToLeave() throws Exception {
        CgroupManager m = CgroupManager.open(base + "/a/b/ctr");
        m.create();
        Process sleep = start("sleep", "30");
        join(m, sleep.pid());
        assertThat(m.pids()).contains((int) sleep.pid());
        sleep.destroyForcibly(); // no waitFor: the task is still on its way out
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void destroyRefusesWhileAProcessStaysAndSaysWhichPid() throws Exception {
        CgroupManager m = CgroupManager.open(base + "/ctr");
        m.create();
        Process sleep = start("sleep", "30");
        join(m, sleep.pid());
        assertThatThrownBy(m::destroy).isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("destroy: rmdir ")
                .hasMessageContaining("pids [" + sleep.pid() + "]");
        sleep.destroyForcibly();
        sleep.waitFor();
        // The failed destroy forgot nothing it still has to remove.
        m.destroy();
        assertThat(testDirs()).isEmpty();
    }

    @Test
    void aPreExistingParentSurvivesItsChild() {
        CgroupManager parent = CgroupManager.open(base);
        parent.create();
        CgroupManager child = CgroupManager.open(base + "/ctr");
        child.create();
        assertThat(child.createdDirs()).allMatch(p -> p.getFileName().toString().equals("ctr"));
        child.destroy();
        assertThat(testDirs()).isNotEmpty();
        parent.destroy();
        assertThat(testDirs()).isEmpty();
    }
}
