package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import dev.berth.engine.events.Events;
import dev.berth.storage.volume.LocalVolumes;
import dev.berth.storage.volume.VolumeRecord;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Volumes as docker's API has them (local driver only): create, inspect, list with filters,
 * remove (refused while any container, running or not, refers to the volume) and prune. Which
 * container uses which volume is registered by {@link ContainerMounts}.
 */
public final class Volumes {
    /** The label docker (23+) puts on the volumes it makes for a container; prune takes only these by default. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";
    private static final Set<String> LOCAL_OPTIONS = Set.of("type", "device", "o");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalVolumes store;
    private final VolumeMounts mounts;
    /** container id -> names of the volumes it refers to */
    private final Map<String, List<String>> users = new ConcurrentHashMap<>();
    private final Events events;

    public Volumes(LocalVolumes store) {
        this(store, new Events());
    }

    /** Volumes whose creations and removals are published as dockerd's `volume` events (create, destroy). */
    public Volumes(LocalVolumes store, Events events) {
        this.store = store;
        this.mounts = new VolumeMounts(store);
        this.events = events;
    }

    /** POST /volumes/create. A name that exists returns that volume, as docker does. */
    public synchronized VolumeView create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels)
            throws IOException {
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
            throw new EngineException(404, "error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        String n = name == null || name.isEmpty() ? randomName() : name;
        checkOptions(n, driverOpts == null ? Map.of() : driverOpts);
        if (!LocalVolumes.validName(n)) {
            throw new EngineException(400, "create " + n + ": " + LocalVolumes.invalidName(n));
        }
        boolean existed = store.get(n).isPresent();
        VolumeRecord v = store.create(n, labels, driverOpts);
        if (!existed) {
            published("create", n);
        }
        return view(v);
    }

    /**
     * A volume for a container: a new anonymous one, or the named one, made if missing (with the
     * labels and driver options --mount gave). The container's use is registered in the same
     * step, so that no remove or prune can take the volume between the two.
     */
    synchronized VolumeRecord acquire(String containerId, MountPoint m) throws IOException {
        VolumeRecord v;
        if (m.name() == null) {
            v = store.create(randomName(), Map.of(ANONYMOUS_LABEL, ""), Map.of());
            published("create", v.name());
        } else if (store.get(m.name()).isPresent()) {
            v = store.get(m.name()).get();
        } else {
            Map<String, String> opts = m.volumeOptions() == null ? Map.of() : m.volumeOptions();
            checkOptions(m.name(), opts);
            v = store.create(m.name(), m.volumeLabels(), opts);
            published("create", v.name());
        }
        List<String> names = new ArrayList<>(users.getOrDefault(containerId, List.of()));
        names.add(v.name());
        users.put(containerId, List.copyOf(names));
        return v;
    }

    public VolumeView inspect(String name) {
        return view(store.get(name).orElseThrow(() -> new EngineException(404, "get " + name + ": no such volume")));
    }

    public List<VolumeView> list(VolumeFilters f) {
        f.check(false);
        Boolean dangling = f.bool("dangling");
        List<VolumeView> out = new ArrayList<>();
        for (VolumeRecord r : store.list()) {
            if (dangling != null && dangling == inUse(r.name())) {
                continue;
            }
            if (!f.get("name").isEmpty() && f.get("name").stream().noneMatch(r.name()::contains)) {
                continue;
            }
            if (!f.get("driver").isEmpty() && !f.get("driver").contains("local")) {
                continue;
            }
            if (!f.get("label").stream().allMatch(l -> VolumeFilters.labelMatches(l, r.labels()))) {
                continue;
            }
            out.add(view(r));
        }
        return out;
    }

    /** DELETE /volumes/{name}: force only forgives a missing volume; one in use is a conflict either way. */
    public synchronized void remove(String name, boolean force) throws IOException {
        if (store.get(name).isEmpty()) {
            if (force) {
                return;
            }
            throw new EngineException(404, "get " + name + ": no such volume");
        }
        List<String> refs = usersOf(name);
        if (!refs.isEmpty()) {
            throw new EngineException(409, "remove " + name + ": volume is in use - [" + String.join(", ", refs) + "]");
        }
        mounts.unmountIfMounted(store.get(name).get());
        store.remove(name);
        published("destroy", name);
    }

    /** What a volume costs, for /system/df: bytes on disk and how many containers refer to it. */
    public record Usage(long size, int refCount) {}

    public Usage usage(String name) {
        return new Usage(store.size(name), usersOf(name).size());
    }

    /** The result of a prune: docker's VolumesDeleted and SpaceReclaimed. */
    public record Pruned(List<String> deleted, long spaceReclaimed) {}

    /** POST /volumes/prune: unused anonymous volumes, or with all=true every unused volume; label filters narrow it. */
    public synchronized Pruned prune(VolumeFilters f) throws IOException {
        f.check(true);
        boolean all = Boolean.TRUE.equals(f.bool("all"));
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRecord r : store.list()) {
            if (inUse(r.name()) || (!all && !r.labels().containsKey(ANONYMOUS_LABEL))) {
                continue;
            }
            if (!f.get("label").stream().allMatch(l -> VolumeFilters.labelMatches(l, r.labels()))
                    || f.get("label!").stream().anyMatch(l -> VolumeFilters.labelMatches(l, r.labels()))) {
                continue;
            }
            long size = store.size(r.name());
            mounts.unmountIfMounted(r);
            store.remove(r.name());
            published("destroy", r.name());
            deleted.add(r.name());
            reclaimed += size;
        }
        return new Pruned(deleted, reclaimed);
    }

    /** The local driver's options: type, device and o, and a type whenever any is given. */
    private static void checkOptions(String name, Map<String, String> opts) {
        for (String key : opts.keySet()) {
            if (!LOCAL_OPTIONS.contains(key)) {
                throw new EngineException(400, "create " + name + ": invalid option key: \"" + key + "\"");
            }
        }
        if (!opts.isEmpty() && (opts.get("type") == null || opts.get("type").isEmpty())) {
            throw new EngineException(400, "create " + name + ": missing required option: \"type\"");
        }
    }

    /** Records that {@code containerId} refers to these volumes (at daemon start). */
    synchronized void register(String containerId, List<String> names) {
        users.put(containerId, List.copyOf(names));
    }

    /** Forgets a container's references; returns the names it had. */
    synchronized List<String> unregister(String containerId) {
        List<String> names = users.remove(containerId);
        return names == null ? List.of() : names;
    }

    boolean inUse(String name) {
        return !usersOf(name).isEmpty();
    }

    private List<String> usersOf(String name) {
        List<String> ids = new ArrayList<>();
        users.forEach((id, names) -> {
            if (names.contains(name)) {
                ids.add(id);
            }
        });
        ids.sort(null);
        return ids;
    }

    /** Removes a volume nobody refers to any more (rm -v of an anonymous one); one still in use stays, as in docker. */
    synchronized void removeIfUnused(String name) throws IOException {
        if (store.get(name).isPresent() && !inUse(name)) {
            mounts.unmountIfMounted(store.get(name).get());
            store.remove(name);
            published("destroy", name);
        }
    }

    /** A `volume` event as dockerd's: the volume's name as the actor, its driver as the attribute. */
    private void published(String action, String name) {
        events.publish("volume", action, name, Map.of("driver", "local"));
    }

    /** A driver-options volume no container refers to any more is unmounted (its content stays on the device). */
    synchronized void unmountIfUnused(String name) {
        if (!inUse(name)) {
            try {
                store.get(name).ifPresent(mounts::unmountIfMounted);
            } catch (EngineException e) {
                // The container is gone either way; the volume stays mounted until its removal tries again.
                System.err.println("level=warning msg=\"" + e.getMessage() + "\"");
            }
        }
    }

    LocalVolumes store() {
        return store;
    }

    VolumeMounts mounts() {
        return mounts;
    }

    private VolumeView view(VolumeRecord r) {
        return new VolumeView(r.name(), "local", store.mountpoint(r.name()).toString(), r.createdAt(),
                new TreeMap<>(r.labels()), new TreeMap<>(r.options()), "local");
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
