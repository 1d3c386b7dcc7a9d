package dev.berth.runtime.plan;

import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.linux.NamespaceType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan that runs a createContainer or startContainer hook "in the container namespace"
 * (config.md#createcontainer-hooks): join every namespace of the container's (waiting) init,
 * then exec the hook, with no cgroup, user switch or seccomp of the container's. Joined before
 * the root switch, the hook sees the host's tree with the container's mounts; after it, the
 * container's root.
 */
public final class HookPlanBuilder {
    private HookPlanBuilder() {}

    public static LaunchPlan build(Spec.Hook hook, String field, Spec.Linux containerLinux, int containerPid, Path syncSocket) {
        Ops ops = new Ops();
        ops.add(OpCode.SYNC_SOCKET, syncSocket.toString(), null, ints(), syncSocket.toString());
        ops.add(OpCode.FORWARD_SIGNALS, "signals", null, ints(15)); // SIGTERM: how an overrunning hook is ended
        for (NamespaceType type : PlanBuilder.namespaces(containerLinux).keySet()) {
            ops.add(OpCode.SETNS, type.specName + " namespace of the container", field,
                    ints(type.cloneFlag), "/proc/" + containerPid + "/ns/" + type.procName);
        }
        ops.add(OpCode.CLONE, "hook", field, ints(0));
        List<String> args = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        List<String> env = hook.env() == null ? List.of() : hook.env();
        List<String> strs = new ArrayList<>();
        strs.add(env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).findFirst()
                .orElse(ProcessPlanner.DEFAULT_PATH));
        // argv[0] is args[0], but the program executed is path.
        strs.add(hook.path());
        strs.addAll(args.subList(1, args.size()));
        strs.addAll(env);
        long[] counts = ints(args.size(), env.size());
        ops.add(Op.of(OpCode.EXEC, hook.path(), field + ".path", counts, strs.toArray(String[]::new)));
        return new LaunchPlan(List.copyOf(ops.list()));
    }
}
