package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.storage.LayerStore;
import dev.berth.storage.snapshot.Mounter;
import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * docker rm [-f] [-v], and --rm once a container has exited: the container goes with everything
 * it had (the runtime's state, its network endpoints, its rootfs mount, its read-write layer (the
 * shared init layer beneath stays while its image does; an older container's own init layer
 * goes), its anonymous volumes when asked, its directories and name), and whoever waits on it is
 * woken.
 */
final class ContainerRemoval {
    private final ContainerStore store;
    private final ContainerNames names;
    private final BerthRuntime runtime;
    private final ContainerNetworking networking;
    private final LayerStore layers;
    private final ContainerMounts mounts;
    private final Attachments attachments;
    private final ContainerStopper stopper;
    private final RestartScheduler restarts;
    private final ContainerEvents events;

    ContainerRemoval(ContainerStore store, ContainerNames names, BerthRuntime runtime, ContainerNetworking networking,
                     LayerStore layers, ContainerMounts mounts, Attachments attachments, ContainerStopper stopper,
                     RestartScheduler restarts, ContainerEvents events) {
        this.store = store;
        this.names = names;
        this.runtime = runtime;
        this.networking = networking;
        this.layers = layers;
        this.mounts = mounts;
        this.attachments = attachments;
        this.stopper = stopper;
        this.restarts = restarts;
        this.events = events;
    }

    /** docker rm: {@code force} kills a running container first; {@code removeVolumes} takes its anonymous volumes too. */
    void remove(String id, boolean force, boolean removeVolumes) throws IOException, InterruptedException {
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            if (r.isUp() && !force) {
                throw new EngineException(409, "cannot remove container \"/" + r.name() + "\": container is running: "
                        + "stop the container before removing or force remove");
            }
            if (r.isUp()) {
                stopper.killForRemoval(r);
            }
            try {
                runtime.delete(id, true);
            } catch (ContainerException ignored) {
                // not started, or already cleaned up
            }
            networking.publish(events.log(), "disconnect", id, networking.disconnectAll(id));
            unmountIfMounted(store.rootfs(id));
            layers.removeReadWrite(id);
            mounts.release(id, removeVolumes);
            store.deleteFiles(id);
            names.release(r.name());
            store.remove(id);
            restarts.forget(id);
            attachments.forget(id);
            store.wake(id);
        }
        store.dropLock(id);
        events.publish("destroy", r);
    }

    /**
     * --rm: removes the container, volumes and all, on a thread of its own (the exit that asks
     * for it is recorded under the container's monitor, by whoever saw it first).
     */
    void removeLater(String id) {
        Thread.ofVirtual().start(() -> {
            try {
                if (store.get(id) != null) {
                    remove(id, true, true); // --rm takes the anonymous volumes too, as docker's
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                // --rm is best effort: a later `rm` reports what is left
                System.err.println("level=warning msg=\"auto-remove of " + id + " failed: " + e + "\"");
            }
        });
    }

    /** Unmounts a container's rootfs; one that is not mounted (never was, or /run was wiped) is fine. */
    static void unmountIfMounted(Path rootfs) throws IOException {
        try {
            Mounter.unmount(rootfs);
        } catch (IOException e) {
            if (!(e.getCause() instanceof SyscallException s)
                    || (s.errno().number() != Errno.EINVAL && s.errno().number() != Errno.ENOENT)) {
                throw e;
            }
        }
    }
}
