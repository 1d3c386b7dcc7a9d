package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import dev.berth.sys.Bpf;
import dev.berth.sys.DirFd;
import dev.berth.sys.Fd;
import dev.berth.sys.SyscallException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.berth.cgroups.DeviceFilterTest.ALLOW_ALL;
import static dev.berth.cgroups.DeviceFilterTest.DENY_ALL;
import static dev.berth.cgroups.DeviceFilterTest.allow;
import static dev.berth.cgroups.Res.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Device filters in the real kernel, as root. A v1 or hybrid host works as well as a v2 one as
 * long as a cgroup2 hierarchy is mounted somewhere (systemd's /sys/fs/cgroup/unified on this
 * project's CI host): a device program needs no controller, and the kernel checks it on every
 * device access of the processes in that v2 cgroup, whatever their v1 cgroups say.
 */
@Tag("root")
class DeviceFilterKernelTest {
    static final List<Spec.DeviceCgroup> ONLY_NULL = List.of(DENY_ALL, allow("c", 1L, 3L, "rwm"));

    Hierarchy unified;
    Path top;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void needsRootAndACgroup2Mount() throws IOException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
        unified = CgroupLayout.detect().unified();
        assumeTrue(unified != null, "no cgroup2 mount");
        top = unified.dir("/berth-devtest-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        if (Files.isDirectory(top)) {
            try (Stream<Path> tree = Files.walk(top)) {
                for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
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
        assertThat(top).doesNotExist();
    }

    /**
     * Runs a shell in {@code cgroupProcs}'s cgroup that reads /dev/zero and writes /dev/null
     * once it has been moved there (it waits for a line on stdin), and returns what it printed.
     */
    String probeDevices(Path cgroupProcs) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "read go; head -c 1 /dev/zero >/dev/null && echo zero-ok;"
                + " echo x >/dev/null && echo null-ok").redirectErrorStream(true).start();
        processes.add(sh);
        Files.writeString(cgroupProcs, Long.toString(sh.pid()));
        try (Writer w = new OutputStreamWriter(sh.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("go\n");
        }
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static List<Integer> attachedIds(Path dir) {
        try (Fd cg = DirFd.open(dir)) {
            return java.util.Arrays.stream(Bpf.progQuery(cg, Bpf.ATTACH_CGROUP_DEVICE).ids()).boxed().toList();
        }
    }

    @Test
    void aFilterDeniesWhatTheRulesDoNotAllow() throws Exception {
        Path cg = Files.createDirectory(top);
        assertThat(attachedIds(cg)).isEmpty();
        BpfDeviceFilterInstaller.INSTANCE.install(cg, DeviceFilter.compile(ONLY_NULL));
        assertThat(attachedIds(cg)).hasSize(1);

        String out = probeDevices(cg.resolve("cgroup.procs"));
        assertThat(out).containsPattern("/dev/zero.*: Operation not permitted").doesNotContain("zero-ok").contains("null-ok");
    }

    @Test
    void installingAgainReplacesTheFilter() throws Exception {
        Path cg = Files.createDirectory(top);
        BpfDeviceFilterInstaller.INSTANCE.install(cg, DeviceFilter.compile(ONLY_NULL));
        List<Integer> first = attachedIds(cg);
        BpfDeviceFilterInstaller.INSTANCE.install(cg, DeviceFilter.compile(List.of(DENY_ALL,
                allow("c", 1L, 3L, "rwm"), allow("c", 1L, 5L, "r"))));
        List<Integer> second = attachedIds(cg);
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
        assertThat(probeDevices(cg.resolve("cgroup.procs"))).contains("zero-ok").contains("null-ok");

        // Allow-all is a filter too, and takes the restrictive one's place.
        BpfDeviceFilterInstaller.INSTANCE.install(cg, DeviceFilter.compile(List.of(ALLOW_ALL)));
        assertThat(attachedIds(cg)).hasSize(1).doesNotContainAnyElementsOf(second);
    }

    @Test
    void extraProgramsAttachedByOthersAreReplacedToo() throws Exception {
        Path cg = Files.createDirectory(top);
        try (Fd dir = DirFd.open(cg);
             Fd a = Bpf.progLoad(Bpf.PROG_TYPE_CGROUP_DEVICE, "t_a", DeviceFilter.compile(List.of(ALLOW_ALL)).code(), "GPL");
             Fd b = Bpf.progLoad(Bpf.PROG_TYPE_CGROUP_DEVICE, "t_b", DeviceFilter.compile(List.of(ALLOW_ALL)).code(), "GPL")) {
            Bpf.progAttach(dir, a, Bpf.ATTACH_CGROUP_DEVICE, Bpf.F_ALLOW_MULTI, null);
            Bpf.progAttach(dir, b, Bpf.ATTACH_CGROUP_DEVICE, Bpf.F_ALLOW_MULTI, null);
        }
        assertThat(attachedIds(cg)).hasSize(2);
        BpfDeviceFilterInstaller.INSTANCE.install(cg, DeviceFilter.compile(ONLY_NULL));
        assertThat(attachedIds(cg)).hasSize(1);
        assertThat(probeDevices(cg.resolve("cgroup.procs"))).doesNotContain("zero-ok").contains("null-ok");
    }

    @Test
    void theVerifierAcceptsWhatTheCompilerWrites() {
        Random rnd = new Random(7);
        List<List<Spec.DeviceCgroup>> lists = new ArrayList<>(List.of(DeviceFilterTest.RUNC_DEFAULT, List.of(ALLOW_ALL),
                List.of(DENY_ALL), List.of(DENY_ALL, allow("c", 0xffff_ffffL, 0x8000_0000L, "r")),
                List.of(ALLOW_ALL, new Spec.DeviceCgroup(false, "b", null, null, "rwm"))));
        String[] acc = {"r", "w", "m", "rw", "rwm"};
        for (int i = 0; i < 50; i++) {
            List<Spec.DeviceCgroup> l = new ArrayList<>(List.of(rnd.nextBoolean() ? DENY_ALL : ALLOW_ALL));
            for (int n = rnd.nextInt(20); n > 0; n--) {
                l.add(new Spec.DeviceCgroup(rnd.nextBoolean(), rnd.nextBoolean() ? "c" : "b",
                        rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(300), rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(300),
                        acc[rnd.nextInt(acc.length)]));
            }
            lists.add(l);
        }
        for (List<Spec.DeviceCgroup> l : lists) {
            try (Fd prog = Bpf.progLoad(Bpf.PROG_TYPE_CGROUP_DEVICE, "berth_test", DeviceFilter.compile(l).code(),
                    BpfDeviceFilterInstaller.LICENSE)) {
                assertThat(prog.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aRefusedProgramComesBackWithTheVerifiersReason() {
        // "exit" with r0 never set.
        byte[] bad = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).put(0, (byte) 0x95).array();
        assertThatThrownBy(() -> Bpf.progLoad(Bpf.PROG_TYPE_CGROUP_DEVICE, "berth_bad", bad, "GPL"))
                .isInstanceOf(SyscallException.class)
                .hasMessageStartingWith("bpf(BPF_PROG_LOAD berth_bad) [verifier log: ")
                .hasMessageContaining("R0 !read_ok")
                .hasMessageEndingWith(": permission denied");
    }

    @Test
    void theV2ManagerAppliesDevicesThroughAFilter() throws Exception {
        // The layout of a pure v2 host: only the cgroup2 mount.
        CgroupLayout v2 = new CgroupLayout(CgroupLayout.Mode.V2, List.of(), unified);
        String path = "/" + top.getFileName() + "/ctr";
        CgroupManager m = CgroupManager.open(path, v2);
        assertThat(m).isInstanceOf(CgroupV2.class);
        m.create();
        m.apply(res().devices(ONLY_NULL.toArray(Spec.DeviceCgroup[]::new)).build());
        Path leaf = ((CgroupV2) m).dir();
        assertThat(attachedIds(leaf)).hasSize(1);
        assertThat(probeDevices(m.procsFiles().getFirst()))
                .containsPattern("/dev/zero.*: Operation not permitted").contains("null-ok").doesNotContain("zero-ok");

        // update
        m.apply(res().devices(DENY_ALL, allow("c", 1L, 3L, "rwm"), allow("c", 1L, 5L, "rwm")).build());
        assertThat(attachedIds(leaf)).hasSize(1);
        assertThat(probeDevices(m.procsFiles().getFirst())).contains("zero-ok").contains("null-ok");

        for (Process p : processes) {
            p.waitFor(5, TimeUnit.SECONDS);
        }
        m.destroy();
        assertThat(top).doesNotExist();
    }
}
