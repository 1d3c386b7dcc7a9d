package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.stdio.Stdio;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan of an exec: the container's namespaces joined, its cgroup entered, and (staged) a stop before execve. */
class ExecPlanBuilderTest {
    private static final HostInfo HOST = new HostInfo(List.of(), 40);

    private static final Spec SPEC = Json.parse("""
            {"ociVersion":"1.2.0","root":{"path":"rootfs"},
             "process":{"args":["sleep","600"],"cwd":"/","env":["PATH=/bin"]},
             "linux":{"namespaces":[{"type":"mount"},{"type":"pid"},{"type":"uts"},{"type":"network"}]}}""", Spec.class);

    private static LaunchPlan plan(Path fifo) {
        LaunchOptions o = new LaunchOptions(Path.of("/run/x/s.sock"), null, fifo, null, false, false, false, 0, 1,
                List.of(Path.of("/sys/fs/cgroup/berth/x/cgroup.procs")), false,
                Stdio.unrotated(true, null, Path.of("/run/x/attach.sock")));
        Spec.Process p = new Spec.Process(false, null, null, List.of("echo", "hi"), null, List.of("PATH=/bin"), "/",
                null, null, null, null, null, null, null, null);
        return new ExecPlanBuilder(p, SPEC.linux(), 4242, HOST).build(o);
    }

    private static List<OpCode> codes(LaunchPlan plan) {
        return plan.ops().stream().map(Op::code).toList();
    }

    @Test
    void aStagedExecWaitsAfterTheLookupAndBeforeTheExec() {
        List<OpCode> codes = codes(plan(Path.of("/run/x/exec.fifo")));
        assertThat(codes).contains(OpCode.EXEC_FIFO, OpCode.STDIO);
        int lookup = codes.indexOf(OpCode.LOOKUP), wait = codes.indexOf(OpCode.WAIT_START), exec = codes.indexOf(OpCode.EXEC);
        assertThat(lookup).isLessThan(wait);
        assertThat(wait).isLessThan(exec);
    }

    @Test
    void withoutAFifoItRunsStraightThrough() {
        LaunchPlan plan = plan(null);
        assertThat(plan.has(OpCode.WAIT_START)).isFalse();
        assertThat(plan.has(OpCode.EXEC_FIFO)).isFalse();
    }

    @Test
    void itJoinsEveryNamespaceOfTheContainerAndItsCgroup() {
        LaunchPlan plan = plan(null);
        assertThat(plan.ops().stream().filter(o -> o.code() == OpCode.SETNS).map(o -> o.str(0)).toList())
                .containsExactlyInAnyOrder("/proc/4242/ns/mnt", "/proc/4242/ns/pid", "/proc/4242/ns/uts", "/proc/4242/ns/net");
        assertThat(plan.ops().stream().filter(o -> o.code() == OpCode.WRITE_PID).map(o -> o.str(0)).toList())
                .containsExactly("/sys/fs/cgroup/berth/x/cgroup.procs");
    }
}
