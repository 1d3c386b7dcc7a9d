package dev.berth.runtime.plan;

import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.linux.Capabilities;
import dev.berth.runtime.linux.Rlimits;
import dev.berth.runtime.seccomp.SeccompCompiler;
import dev.berth.runtime.seccomp.SeccompProgram;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The process part of a launch (config.md#process): limits, terminal, working directory, the
 * switch to the configured user with exactly the configured capabilities, seccomp, and execve.
 * The order follows runc's finalizeNamespace: the bounding set is cut while we are still root,
 * PR_SET_KEEPCAPS carries the permitted set across setresuid, then capset sets the final sets.
 */
final class ProcessPlanner {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Spec.Process process;
    private final Spec.Linux linux;
    private final int lastCap;

    ProcessPlanner(Spec.Process process, Spec.Linux linux, int lastCap) {
        if (process == null) {
            throw new SpecException("process: missing");
        }
        if (process.args() == null || process.args().isEmpty()) {
            throw new SpecException("process.args: must name the program to run");
        }
        this.process = process;
        this.linux = linux;
        this.lastCap = lastCap;
    }

    /** While still root in the container: rlimits, oom_score_adj, sysctls (need /proc). */
    Ops limits() {
        Ops ops = new Ops();
        Set<String> seen = new HashSet<>();
        List<Spec.Rlimit> rlimits = process.rlimits() == null ? List.of() : process.rlimits();
        for (int i = 0; i < rlimits.size(); i++) {
            Spec.Rlimit r = rlimits.get(i);
            String field = "process.rlimits[" + i + "]";
            int number = Rlimits.number(r.type(), field + ".type");
            if (!seen.add(r.type())) {
                throw new SpecException(field + ": duplicate rlimit " + r.type());
            }
            long soft = r.soft() == null ? -1 : r.soft(), hard = r.hard() == null ? -1 : r.hard();
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new SpecException(field + ": soft limit " + soft + " is above the hard limit " + hard);
            }
            ops.add(OpCode.RLIMIT, r.type(), field, ints(number, soft, hard));
        }
        if (process.oomScoreAdj() != null) {
            ops.add(OpCode.WRITE_FILE, "/proc/self/oom_score_adj", "process.oomScoreAdj", ints(0),
                    "/proc/self/oom_score_adj", String.valueOf(process.oomScoreAdj()));
        }
        Map<String, String> sysctl = linux == null || linux.sysctl() == null ? Map.of() : linux.sysctl();
        sysctl.forEach((key, value) -> {
            if (key.contains("..") || key.startsWith("/")) {
                throw new SpecException("linux.sysctl: invalid key \"" + key + "\"");
            }
            String path = "/proc/sys/" + key.replace('.', '/');
            ops.add(OpCode.WRITE_FILE, path, "linux.sysctl[" + key + "]", ints(0), path, value);
        });
        return ops;
    }

    Ops console() {
        if (!Boolean.TRUE.equals(process.terminal())) {
            return new Ops();
        }
        Spec.Box size = process.consoleSize();
        long rows = size == null || size.height() == null ? 0 : size.height();
        long cols = size == null || size.width() == null ? 0 : size.width();
        return new Ops().add(OpCode.CONSOLE, "console", "process.terminal", ints(rows, cols));
    }

    /** Working directory and user switch; seccomp goes first unless no_new_privs lets it go last. */
    Ops identity(SeccompProgram seccomp) {
        Ops ops = new Ops();
        String cwd = process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
        if (!cwd.startsWith("/")) {
            throw new SpecException("process.cwd: must be an absolute path, got \"" + cwd + "\"");
        }
        ops.add(OpCode.CHDIR, cwd, "process.cwd", ints(), cwd);
        if (seccomp != null && !noNewPrivileges()) {
            // Without no_new_privs the filter can only be loaded while we still hold CAP_SYS_ADMIN.
            ops.add(seccompOp(seccomp));
        }
        Spec.Capabilities caps = process.capabilities();
        List<Long> drop = new ArrayList<>();
        long bounding = caps == null ? 0 : Capabilities.mask(caps.bounding(), "process.capabilities.bounding", lastCap);
        for (int c = 0; c <= lastCap; c++) {
            if ((bounding & (1L << c)) == 0) {
                drop.add((long) c);
            }
        }
        Spec.User user = process.user() == null ? new Spec.User(0L, 0L, null, null, null) : process.user();
        long uid = user.uid() == null ? 0 : user.uid(), gid = user.gid() == null ? 0 : user.gid();
        ops.add(OpCode.CAPBSET_DROP, "bounding set", "process.capabilities.bounding", drop.stream().mapToLong(Long::longValue).toArray());
        ops.add(OpCode.KEEPCAPS, "keep capabilities", null, ints(1));
        long[] groups = user.additionalGids() == null ? new long[0] : user.additionalGids().stream().mapToLong(Long::longValue).toArray();
        ops.add(OpCode.SETGROUPS, "additional groups", "process.user.additionalGids", groups);
        ops.add(OpCode.SETRESGID, "gid " + gid, "process.user.gid", ints(gid));
        ops.add(OpCode.SETRESUID, "uid " + uid, "process.user.uid", ints(uid));
        ops.add(OpCode.KEEPCAPS, "keep capabilities", null, ints(0));
        long effective = caps == null ? 0 : Capabilities.mask(caps.effective(), "process.capabilities.effective", lastCap);
        long permitted = caps == null ? 0 : Capabilities.mask(caps.permitted(), "process.capabilities.permitted", lastCap);
        long inheritable = caps == null ? 0 : Capabilities.mask(caps.inheritable(), "process.capabilities.inheritable", lastCap);
        ops.add(OpCode.CAPSET, "capabilities", "process.capabilities", ints(effective, permitted, inheritable));
        // The kernel refuses to raise an ambient capability that is not both permitted and
        // inheritable (capabilities(7)); runc's default spec lists ambient ones without
        // inheritable, and runc skips them, so do we.
        long ambient = caps == null ? 0
                : Capabilities.mask(caps.ambient(), "process.capabilities.ambient", lastCap) & permitted & inheritable;
        if (ambient != 0) {
            List<Long> raise = new ArrayList<>();
            for (int c = 0; c <= lastCap; c++) {
                if ((ambient & (1L << c)) != 0) {
                    raise.add((long) c);
                }
            }
            ops.add(OpCode.AMBIENT_RAISE, "ambient capabilities", "process.capabilities.ambient",
                    raise.stream().mapToLong(Long::longValue).toArray());
        }
        ops.add(OpCode.UMASK, "umask", "process.user.umask", ints(user.umask() == null ? 022 : user.umask()));
        return ops;
    }

    /** The last ops: no_new_privs, a late seccomp filter, and execve. */
    Ops exec(SeccompProgram seccomp, Ops beforeExec) {
        Ops ops = new Ops();
        if (noNewPrivileges()) {
            ops.add(OpCode.NO_NEW_PRIVS, "no_new_privs", "process.noNewPrivileges", ints());
        }
        List<String> env = process.env() == null ? List.of() : process.env();
        String path = env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).findFirst().orElse(DEFAULT_PATH);
        List<String> strs = new ArrayList<>();
        strs.add(path);
        strs.addAll(process.args());
        strs.addAll(env);
        String[] execArgs = strs.toArray(String[]::new);
        long[] counts = ints(process.args().size(), env.size());
        // Find the program before waiting for `start`, so that `create` reports a missing one.
        ops.add(Op.of(OpCode.LOOKUP, process.args().get(0), "process.args", counts, execArgs));
        ops.addAll(beforeExec);
        if (seccomp != null && noNewPrivileges()) {
            ops.add(seccompOp(seccomp));
        }
        ops.add(Op.of(OpCode.EXEC, process.args().get(0), "process.args", counts, execArgs));
        return ops;
    }

    static SeccompProgram compileSeccomp(Spec.Linux linux) {
        return linux == null || linux.seccomp() == null ? null : SeccompCompiler.compile(linux.seccomp());
    }

    private Op seccompOp(SeccompProgram seccomp) {
        return new Op(OpCode.SECCOMP, ints(seccomp.flags()), List.of(seccomp.filter()), "seccomp filter", "linux.seccomp");
    }

    private boolean noNewPrivileges() {
        return Boolean.TRUE.equals(process.noNewPrivileges());
    }
}
