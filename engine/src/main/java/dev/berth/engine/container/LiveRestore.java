package dev.berth.engine.container;

import java.io.IOException;

/**
 * The daemon's start: every container.json is read back and each container taken up where the
 * last daemon left it. A container's shim outlives the daemon, so those still running are
 * adopted again (docker's live-restore: their exits and health watched anew); those that
 * exited while no daemon ran have their exit recorded now; those whose restart policy says so
 * (or that were waiting to restart) are started.
 */
final class LiveRestore {
    private LiveRestore() {}

    static void run(ContainerStore store, ContainerNames names, ContainerExits exits, ContainerLauncher launcher)
            throws IOException {
        var all = store.load();
        for (ContainerRecord r : all) {
            names.reserve(r.name(), r.id());
        }
        for (ContainerRecord r : all) {
            try {
                if (r.isUp()) {
                    ContainerRecord now = exits.refresh(r);
                    if (now.isUp()) {
                        launcher.watch(now);
                    }
                } else if (r.status().equals("restarting") || (r.status().equals("exited")
                        && RestartPolicy.of(r.hostConfig()).restarts(r.exitCode(), r.restartCount(), r.manuallyStopped()))) {
                    synchronized (store.lock(r.id())) {
                        launcher.launch(r);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warning msg=\"restoring container " + r.id() + ": " + e.getMessage() + "\"");
            }
        }
    }
}
