package dev.berth.runtime;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.State;
import dev.berth.runtime.plan.HookPlanBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hooks that belong inside the container's namespaces (createContainer, startContainer)
 * through berth-shim with a {@link HookPlanBuilder} plan: the JVM cannot enter a mount namespace
 * itself. Each hook gets the state on stdin and its timeout, like the host-side {@link Hooks}.
 */
final class NamespaceHooks {
    private final Path shim;
    private final Path stateDir;

    NamespaceHooks(Path shim, Path stateDir) {
        this.shim = shim;
        this.stateDir = stateDir;
    }

    void run(List<Spec.Hook> hooks, String kind, Spec.Linux linux, State state) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            String field = "hooks." + kind + "[" + i + "]";
            try {
                runOne(hooks.get(i), field, linux, state);
            } catch (IOException e) {
                throw new LaunchException(field + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException(field + ": interrupted");
            }
        }
    }

    private void runOne(Spec.Hook hook, String field, Spec.Linux linux, State state) throws IOException, InterruptedException {
        if (hook.path() == null || !hook.path().startsWith("/")) {
            throw new LaunchException(field + ".path: must be an absolute path, got " + hook.path());
        }
        Path plan = stateDir.resolve("hook.plan");
        Path sync = ShimSession.syncSocketFor(stateDir, "hook.sock");
        try (ShimSession session = ShimSession.start(shim, HookPlanBuilder.build(hook, field, linux, state.pid(), sync), plan, sync, true)) {
            session.awaitCreated(p -> { });
            try (OutputStream in = session.stdin()) {
                in.write(Json.write(state).getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a hook that does not read its stdin is fine
            }
            if (hook.timeout() != null && !session.awaitExit(hook.timeout(), TimeUnit.SECONDS)) {
                session.kill();
                throw new LaunchException(field + ": " + hook.path() + " timed out after " + hook.timeout() + "s");
            }
            int code = session.awaitExit();
            if (code != 0) {
                throw new LaunchException(field + ": " + hook.path() + " exited with status " + code);
            }
        } finally {
            Files.deleteIfExists(plan);
            Files.deleteIfExists(sync);
        }
    }
}
