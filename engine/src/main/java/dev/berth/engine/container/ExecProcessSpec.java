package dev.berth.engine.container;

import dev.berth.engine.model.ExecConfig;
import dev.berth.engine.spec.ContainerUser;
import dev.berth.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI process of an exec: the container's own process (capabilities, rlimits, seccomp-related
 * flags, user) with what the exec asks for laid over it, as docker does: the environment is the
 * container's with TERM=xterm under a tty and the exec's Env replacing or appending by name; the
 * working dir and user default to the container's; Privileged grants every capability the
 * daemon holds.
 */
final class ExecProcessSpec {
    private ExecProcessSpec() {}

    static Spec.Process of(Spec.Process container, ExecConfig exec, List<String> groupAdd, Path rootfs, List<String> heldCaps) {
        boolean tty = Boolean.TRUE.equals(exec.tty());
        List<String> env = mergeEnv(container.env(), tty ? List.of("TERM=xterm") : List.of());
        env = mergeEnv(env, exec.env());
        String cwd = exec.workingDir() == null || exec.workingDir().isEmpty() ? container.cwd() : exec.workingDir();
        Spec.User user = container.user();
        if (exec.user() != null && !exec.user().isEmpty()) {
            ContainerUser u = ContainerUser.resolve(exec.user(), groupAdd, rootfs);
            user = new Spec.User(u.uid(), u.gid(), user == null ? null : user.umask(), u.additionalGids(), null);
        }
        Spec.Capabilities caps = container.capabilities();
        if (Boolean.TRUE.equals(exec.privileged())) {
            caps = new Spec.Capabilities(heldCaps, heldCaps, List.of(), heldCaps, List.of());
        }
        Spec.Box size = null;
        if (tty && exec.consoleSize() != null && exec.consoleSize().size() == 2 && exec.consoleSize().get(0) > 0) {
            size = new Spec.Box(exec.consoleSize().get(0), exec.consoleSize().get(1));
        }
        return new Spec.Process(tty, size, user, List.copyOf(exec.cmd()), null, env, cwd, caps, container.rlimits(),
                container.noNewPrivileges(), container.apparmorProfile(), container.oomScoreAdj(), container.selinuxLabel(),
                container.ioPriority(), container.scheduler());
    }

    /** {@code base} with each NAME=value of {@code over} replacing the same NAME, or appended. */
    static List<String> mergeEnv(List<String> base, List<String> over) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (List<String> list : new ArrayList<>(java.util.Arrays.asList(base, over))) {
            if (list == null) {
                continue;
            }
            for (String kv : list) {
                int eq = kv.indexOf('=');
                byName.put(eq < 0 ? kv : kv.substring(0, eq), kv);
            }
        }
        return List.copyOf(byName.values());
    }
}
