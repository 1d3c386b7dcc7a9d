package dev.berth.runtime;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.State;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs OCI hooks (config.md#posix-platform-hooks): each with the state JSON on stdin, its own
 * args (args[0] is argv[0], path is what is executed) and env, and its timeout in seconds.
 */
final class Hooks {
    private Hooks() {}

    /** Runs the hooks in order; the first failure throws, naming the hook's field. */
    static void run(List<Spec.Hook> hooks, String kind, State state) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            runOne(hooks.get(i), "hooks." + kind + "[" + i + "]", state);
        }
    }

    /** Runs every hook even when some fail (poststart, poststop: failures are only warnings). */
    static List<String> runAll(List<Spec.Hook> hooks, String kind, State state) {
        List<String> warnings = new ArrayList<>();
        if (hooks != null) {
            for (int i = 0; i < hooks.size(); i++) {
                try {
                    runOne(hooks.get(i), "hooks." + kind + "[" + i + "]", state);
                } catch (LaunchException e) {
                    warnings.add(e.getMessage());
                }
            }
        }
        return warnings;
    }

    private static void runOne(Spec.Hook hook, String field, State state) {
        if (hook.path() == null || !hook.path().startsWith("/")) {
            throw new LaunchException(field + ".path: must be an absolute path, got " + hook.path());
        }
        List<String> argv = new ArrayList<>();
        argv.add(hook.path());
        if (hook.args() != null && hook.args().size() > 1) {
            // args[0] is the hook's argv[0]; ProcessBuilder cannot set argv[0] apart from the
            // path, so the path stands for it.
            argv.addAll(hook.args().subList(1, hook.args().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().clear();
        if (hook.env() != null) {
            for (String e : hook.env()) {
                int eq = e.indexOf('=');
                if (eq > 0) {
                    pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
                }
            }
        }
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(Json.write(state).getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a hook that does not read its stdin is fine
            }
            boolean done = hook.timeout() == null ? waitFor(p) : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                throw new LaunchException(field + ": " + hook.path() + " timed out after " + hook.timeout() + "s");
            }
            if (p.exitValue() != 0) {
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                throw new LaunchException(field + ": " + hook.path() + " exited with status " + p.exitValue()
                        + (err.isEmpty() ? "" : ": " + err));
            }
        } catch (IOException e) {
            throw new LaunchException(field + ": " + hook.path() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(field + ": interrupted");
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }
}
