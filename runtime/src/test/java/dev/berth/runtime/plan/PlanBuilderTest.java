package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans are data: these read them without running anything (no root needed). */
class PlanBuilderTest {
    private static final HostInfo V1_HOST = new HostInfo(List.of("cpu", "memory", "name=systemd"), 40);
    private static final HostInfo V2_HOST = new HostInfo(List.of(), 40);

    @TempDir
    Path bundle;

    @BeforeEach
    void rootfs() throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(bundle.resolve("data"));
    }

    private Spec spec(String linuxAndMore) {
        return Json.parse("""
                {"ociVersion":"1.2.0","root":{"path":"rootfs"},
                 "process":{"args":["sh"],"cwd":"/","env":["PATH=/bin"],
                   "capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]}},
                """ + linuxAndMore + "}", Spec.class);
    }

    private LaunchOptions options() {
        return new LaunchOptions(bundle.resolve("s"), bundle.resolve("exit"), bundle.resolve("fifo"),
                null, true, false, false, 0, 1, List.of(Path.of("/sys/fs/cgroup/memory/x/cgroup.procs")), false, null);
    }

    private LaunchPlan plan(Spec spec, HostInfo host) {
        return new PlanBuilder(spec, bundle, host).build(options());
    }

    private static List<OpCode> codes(LaunchPlan plan) {
        return plan.ops().stream().map(Op::code).toList();
    }

    @Test
    void newNamespacesBecomeCloneFlagsAndJoinedOnesSetnsUserFirst() {
        LaunchPlan plan = plan(spec("""
                "linux":{"namespaces":[{"type":"mount"},{"type":"pid"},{"type":"network","path":"/proc/self/ns/net"},
                  {"type":"user","path":"/proc/self/ns/user"},{"type":"cgroup"}]}"""), V1_HOST);
        List<Op> setns = plan.ops().stream().filter(o -> o.code() == OpCode.SETNS).toList();
        assertThat(setns).extracting(o -> o.str(0)).containsExactly("/proc/self/ns/user", "/proc/self/ns/net");
        Op clone = plan.ops().stream().filter(o -> o.code() == OpCode.CLONE).findFirst().orElseThrow();
        assertThat(clone.ints()[0]).isEqualTo(0x00020000L | 0x20000000L);
        // The cgroup namespace is unshared by the child after the shim has put it in its cgroup.
        assertThat(codes(plan).indexOf(OpCode.UNSHARE)).isGreaterThan(codes(plan).indexOf(OpCode.WRITE_PID));
    }

    @Test
    void aNewUserNamespaceGetsItsIdMapsWrittenByTheParent() {
        LaunchPlan plan = plan(spec("""
                "linux":{"namespaces":[{"type":"mount"},{"type":"user"}],
                  "uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],
                  "gidMappings":[{"containerID":0,"hostID":200000,"size":10},{"containerID":10,"hostID":300000,"size":5}]}"""), V1_HOST);
        List<Op> maps = plan.ops().stream().filter(o -> o.code() == OpCode.WRITE_PROC).toList();
        assertThat(maps).extracting(o -> o.str(0)).containsExactly("uid_map", "gid_map");
        assertThat(maps.get(1).str(1)).isEqualTo("0 200000 10\n10 300000 5\n");
        assertThat(maps).allMatch(o -> o.actor() == Actor.PARENT);
    }

    @Test
    void aReadOnlyBindIsABindThenARemount() {
        LaunchPlan plan = plan(spec("""
                "mounts":[{"destination":"/data","type":"bind","source":"data","options":["rbind","ro","nosuid"]}],
                "linux":{"namespaces":[{"type":"mount"}]}"""), V1_HOST);
        List<Op> mounts = plan.ops().stream().filter(o -> "mounts[0]".equals(o.origin()) && o.code() == OpCode.MOUNT).toList();
        assertThat(mounts).hasSize(2);
        assertThat(mounts.get(0).str(0)).isEqualTo(bundle.resolve("data").toString());
        assertThat(mounts.get(0).ints()[0]).isEqualTo(4096L | 16384L); // MS_BIND | MS_REC
        assertThat(mounts.get(1).ints()[0]).isEqualTo(4096L | 32L | 1L | 2L); // BIND | REMOUNT | RDONLY | NOSUID
        assertThat(mounts.get(1).ints()[3]).isEqualTo(1); // keep the flags the kernel locked
    }

    @Test
    void cgroupMountsFollowTheHostsLayout() {
        String mounts = """
                "mounts":[{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["ro"]}],
                "linux":{"namespaces":[{"type":"mount"}]}""";
        // The container's memory cgroup (options(): /sys/fs/cgroup/memory/x) is bound in place of
        // the whole hierarchy, as runc does without a cgroup namespace; cpu and systemd have none.
        List<String> v1 = plan(spec(mounts), V1_HOST).ops().stream().filter(o -> o.code() == OpCode.MOUNT && o.strs().size() == 4)
                .map(o -> o.str(2).isEmpty() ? o.str(0) : o.str(2)).filter(t -> !t.isEmpty() && !t.endsWith("rootfs")).toList();
        assertThat(v1).containsExactly("tmpfs", "cgroup", "/sys/fs/cgroup/memory/x", "cgroup");
        List<String> withNamespace = plan(spec(mounts.replace("{\"type\":\"mount\"}", "{\"type\":\"mount\"},{\"type\":\"cgroup\"}")), V1_HOST)
                .ops().stream().filter(o -> o.code() == OpCode.MOUNT && o.strs().size() == 4)
                .map(o -> o.str(2)).filter(t -> !t.isEmpty()).toList();
        assertThat(withNamespace).containsExactly("tmpfs", "cgroup", "cgroup", "cgroup");
        List<String> v2 = plan(spec(mounts), V2_HOST).ops().stream().filter(o -> o.code() == OpCode.MOUNT)
                .map(o -> o.str(2)).filter(t -> !t.isEmpty()).toList();
        assertThat(v2).containsExactly("cgroup2");
    }

    @Test
    void seccompLoadsLastWithNoNewPrivilegesAndBeforeDroppingCapsWithout() {
        String seccomp = """
                "linux":{"namespaces":[{"type":"mount"}],"seccomp":{"defaultAction":"SCMP_ACT_ALLOW",
                  "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}}""";
        List<OpCode> without = codes(plan(spec(seccomp), V1_HOST));
        assertThat(without.indexOf(OpCode.SECCOMP)).isLessThan(without.indexOf(OpCode.CAPBSET_DROP));
        Spec nnp = spec(seccomp.replace("\"linux\"", "\"hostname\":null,\"linux\""));
        nnp = new Spec(nnp.ociVersion(), withNnp(nnp.process()), nnp.root(), null, null, null, null, null, nnp.linux());
        List<OpCode> with = codes(plan(nnp, V1_HOST));
        assertThat(with.subList(with.indexOf(OpCode.NO_NEW_PRIVS), with.size()))
                .containsExactly(OpCode.NO_NEW_PRIVS, OpCode.LOOKUP, OpCode.WAIT_START, OpCode.SECCOMP, OpCode.EXEC);
    }

    private static Spec.Process withNnp(Spec.Process p) {
        return new Spec.Process(p.terminal(), p.consoleSize(), p.user(), p.args(), p.commandLine(), p.env(), p.cwd(),
                p.capabilities(), p.rlimits(), true, p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel(), p.ioPriority(), p.scheduler());
    }

    @Test
    void capabilitiesOutsideTheBoundingSetAreDroppedAndTheRestSetExactly() {
        LaunchPlan plan = plan(spec("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"), V1_HOST);
        Op drop = plan.ops().stream().filter(o -> o.code() == OpCode.CAPBSET_DROP).findFirst().orElseThrow();
        assertThat(drop.ints()).hasSize(40).doesNotContain(5L); // CAP_KILL stays
        Op set = plan.ops().stream().filter(o -> o.code() == OpCode.CAPSET).findFirst().orElseThrow();
        assertThat(set.ints()).containsExactly(1L << 5, 1L << 5, 0L);
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> plan(spec("\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"bogus\"}]}"), V1_HOST))
                .isInstanceOf(SpecException.class).hasMessage("linux.namespaces[1].type: unknown namespace type \"bogus\"");
        assertThatThrownBy(() -> plan(spec("\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"), V1_HOST))
                .hasMessageContaining("hostname: cannot set a hostname without a new uts namespace");
        assertThatThrownBy(() -> plan(spec("\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}"), V1_HOST))
                .hasMessageContaining("a new mount namespace is required");
        assertThatThrownBy(() -> plan(spec("""
                "mounts":[{"destination":"/x","type":"bind","source":"/no/such/dir"}],"linux":{"namespaces":[{"type":"mount"}]}"""), V1_HOST))
                .hasMessageContaining("mounts[0]: bind mount source /no/such/dir does not exist");
        assertThatThrownBy(() -> plan(spec("""
                "linux":{"namespaces":[{"type":"mount"},{"type":"user"}]}"""), V1_HOST))
                .hasMessageContaining("linux.uidMappings: a new user namespace needs at least one mapping");
    }

    @Test
    void preservedFdsAreTheShimsFirstOps() {
        // The shim takes them in plan order, before it opens anything that could sit on their numbers.
        LaunchOptions o = new LaunchOptions(bundle.resolve("s"), bundle.resolve("exit"), bundle.resolve("fifo"),
                null, true, false, false, 2, 1, List.of(), false, null);
        LaunchPlan plan = new PlanBuilder(spec("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"), bundle, V1_HOST).build(o);
        assertThat(codes(plan).subList(0, 3)).containsExactly(OpCode.INHERIT_FD, OpCode.INHERIT_FD, OpCode.SYNC_SOCKET);
    }

    @Test
    void theEncodingStartsWithMagicVersionAndCount() {
        LaunchPlan plan = plan(spec("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"), V1_HOST);
        ByteBuffer b = ByteBuffer.wrap(plan.encode()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        assertThat(new String(magic)).isEqualTo("BPLN");
        assertThat(b.getInt()).isEqualTo(LaunchPlan.VERSION);
        assertThat(b.getInt()).isEqualTo(plan.ops().size());
        assertThat(b.getShort()).isEqualTo((short) plan.ops().get(0).code().code);
    }
}
