package dev.berth.runtime.plan;

import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.linux.NamespaceType;
import dev.berth.runtime.seccomp.SeccompProgram;
import java.nio.file.Path;
import java.util.List;

/**
 * The plan of `exec`: a new process in a running container. It joins every namespace the
 * container has (through its init's /proc/<pid>/ns links, user namespace first), enters its
 * cgroup, and then becomes the configured user exactly as the init did. The container's
 * seccomp filter applies to it too.
 */
public final class ExecPlanBuilder {
    private final Spec.Process process;
    private final Spec.Linux containerLinux;
    private final int containerPid;
    private final HostInfo host;

    public ExecPlanBuilder(Spec.Process process, Spec.Linux containerLinux, int containerPid, HostInfo host) {
        this.process = process;
        this.containerLinux = containerLinux;
        this.containerPid = containerPid;
        this.host = host;
    }

    public LaunchPlan build(LaunchOptions o) {
        // sysctls belong to the container, not to each process: no linux section for this planner.
        var processPlanner = new ProcessPlanner(process, null, host.lastCap());
        SeccompProgram seccomp = ProcessPlanner.compileSeccomp(containerLinux);
        Ops ops = new Ops().addAll(MonitorPlanner.ops(o, Boolean.TRUE.equals(process.terminal())));
        for (NamespaceType type : PlanBuilder.namespaces(containerLinux).keySet()) {
            String path = "/proc/" + containerPid + "/ns/" + type.procName;
            ops.add(OpCode.SETNS, type.specName + " namespace of the container", null, ints(type.cloneFlag), path);
        }
        ops.add(OpCode.CLONE, "process", null, ints(0));
        for (Path procs : o.cgroupProcs()) {
            ops.add(OpCode.WRITE_PID, procs.toString(), null, ints(), procs.toString());
        }
        ops.addAll(processPlanner.limits());
        ops.addAll(processPlanner.console());
        ops.add(OpCode.CLOSE_FROM, "inherited fds", null, ints(3 + o.preserveFds()));
        ops.addAll(processPlanner.identity(seccomp));
        // With an exec fifo the process stops after its program was found (so a missing one is
        // reported first) until the caller has attached to its output: see BerthRuntime.execStaged.
        Ops beforeExec = new Ops();
        if (o.execFifo() != null) {
            beforeExec.add(OpCode.WAIT_START, "start", null, ints());
        }
        ops.addAll(processPlanner.exec(seccomp, beforeExec));
        return new LaunchPlan(List.copyOf(ops.list()));
    }
}
