package dev.berth.storage;

import dev.berth.oci.image.ChainIds;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.image.Digest;
import dev.berth.storage.archive.ApplyResult;
import dev.berth.sys.AtomicFile;
import dev.berth.storage.internal.MountTable;
import dev.berth.storage.snapshot.Mount;
import dev.berth.storage.snapshot.Mounter;
import dev.berth.storage.snapshot.SnapshotInfo;
import dev.berth.storage.snapshot.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Unpacked layers by chain ID, over a {@link Snapshotter}, with the references that decide when
 * one may go (docker's layer store, containerd's unpacker plus its garbage collector):
 * <ul>
 *   <li>a layer is held by its owners (image IDs, or any name the caller picks), recorded on
 *       disk so that they survive a restart;</li>
 *   <li>a layer is also in use while any snapshot is built on it: a layer above, or a
 *       read-write layer (a container's) or the init layer beneath one; an init layer that no
 *       read-write layer uses goes with the layer it stands on;</li>
 *   <li>{@link #release} drops an owner and removes the layers that became unused, from the top
 *       of the chain down; {@link #prune} removes every unused layer, and the leftovers of
 *       interrupted unpacks.</li>
 * </ul>
 * Records live in {@code ROOT/layers/HEX.json}, written atomically after the snapshot is
 * committed; a committed snapshot without a record (a crash in between) is unused, so prune
 * removes it. Unpacking runs outside the store's lock, so layers of different images unpack in
 * parallel. Init layers are filled on a mount under {@code ROOT/mnt}.
 */
public final class LayerStore {
    private static final String EXTRACT = "extract/";
    private static final String RW = "rw/";
    private static final String INIT = "init/";
    private static final String INIT_PREPARING = "init-preparing/";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private record Stored(String chainId, String diffId, String parent, long size, List<String> owners) {}

    private final Path dir;
    private final Path mnt;
    private final Snapshotter snapshotter;
    private final Map<Digest, Layer> layers = new HashMap<>();

    public LayerStore(Path root, Snapshotter snapshotter) throws IOException {
        this.dir = root.resolve("layers");
        this.mnt = root.resolve("mnt");
        this.snapshotter = snapshotter;
        Files.createDirectories(dir);
        Files.createDirectories(mnt);
        removeMountPoints();
        for (SnapshotInfo s : snapshotter.list()) {
            if (s.key().startsWith(INIT_PREPARING)) {
                snapshotter.remove(s.key()); // an init layer whose fill was cut short; its create never finished
            }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                Stored st = JSON.readValue(p.toFile(), Stored.class);
                Digest chain = Digest.parse(st.chainId());
                if (snapshotter.stat(chain.toString()).isEmpty()) {
                    Files.delete(p); // the snapshot went and the record stayed: a crash during removal
                    continue;
                }
                layers.put(chain, new Layer(chain, Digest.parse(st.diffId()),
                        st.parent() == null ? null : Digest.parse(st.parent()), st.size(), new HashSet<>(st.owners())));
            }
        }
    }

    public Snapshotter snapshotter() {
        return snapshotter;
    }

    /**
     * Unpacks layer {@code blob} over chain {@code parent} (null: a base layer), held by
     * {@code owner}. When {@code expectedDiffId} is given and that layer is already here, nothing
     * is unpacked (the owner is added); otherwise the uncompressed content must match it. A
     * failed unpack leaves nothing.
     */
    public Layer register(Digest parent, InputStream blob, String mediaType, Digest expectedDiffId, String owner)
            throws IOException {
        if (parent != null) {
            require(parent);
        }
        if (expectedDiffId != null) {
            Optional<Layer> present = retainIfPresent(ChainIds.next(parent, expectedDiffId), owner);
            if (present.isPresent()) {
                return present.get();
            }
        }
        String key = EXTRACT + UUID.randomUUID();
        snapshotter.prepare(key, parent == null ? null : parent.toString());
        boolean committed = false;
        try {
            ApplyResult r = snapshotter.apply(key, blob, mediaType, expectedDiffId);
            Digest chain = ChainIds.next(parent, r.diffId());
            synchronized (this) {
                Optional<Layer> present = retainIfPresent(chain, owner);
                if (present.isPresent()) {
                    return present.get(); // unpacked twice at once; keep the first
                }
                snapshotter.commit(chain.toString(), key);
                committed = true;
                Layer layer = new Layer(chain, r.diffId(), parent, r.size(), Set.of(owner));
                store(layer);
                layers.put(chain, layer);
                return layer;
            }
        } finally {
            if (!committed) {
                snapshotter.remove(key);
            }
        }
    }

    public synchronized Optional<Layer> get(Digest chainId) {
        return Optional.ofNullable(layers.get(chainId));
    }

    public synchronized List<Layer> list() {
        return List.copyOf(layers.values());
    }

    /** Adds {@code owner} to the holders of {@code chainId}. */
    public synchronized void retain(Digest chainId, String owner) throws IOException {
        Layer l = require(chainId);
        if (!l.owners().contains(owner)) {
            Set<String> owners = new TreeSet<>(l.owners());
            owners.add(owner);
            update(new Layer(l.chainId(), l.diffId(), l.parent(), l.size(), owners));
        }
    }

    /**
     * Drops {@code owner} from {@code chainId} and removes what became unused: the layer, if
     * nothing else holds it or builds on it, then its parent on the same terms, and so on down.
     * Returns the chain IDs removed.
     */
    public synchronized List<Digest> release(Digest chainId, String owner) throws IOException {
        Layer l = require(chainId);
        Set<String> owners = new TreeSet<>(l.owners());
        owners.remove(owner);
        update(new Layer(l.chainId(), l.diffId(), l.parent(), l.size(), owners));
        List<Digest> removed = new ArrayList<>();
        for (Digest c = chainId; c != null && unowned(c); ) {
            removeIdleInits(c); // the init layers made for its containers go with it
            if (!childless(c.toString())) {
                break;
            }
            Digest parent = layers.get(c).parent();
            removeLayer(c);
            removed.add(c);
            c = parent;
        }
        return removed;
    }

    /**
     * Removes every layer that no owner holds and no snapshot builds on (repeating, so that a
     * chain nobody holds goes entirely; an init layer no read-write layer uses does not count),
     * and the snapshots of interrupted unpacks and of committed layers that never got a record.
     * Returns what was removed, by snapshot key.
     */
    public synchronized List<String> prune() throws IOException {
        List<String> removed = new ArrayList<>();
        for (SnapshotInfo s : snapshotter.list()) {
            if (s.key().startsWith(EXTRACT) && childless(s.key())) {
                snapshotter.remove(s.key());
                removed.add(s.key());
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SnapshotInfo s : snapshotter.list()) {
                if (s.kind() != SnapshotInfo.Kind.COMMITTED || !childless(s.key())) {
                    continue;
                }
                if (isSharedInit(s.key())) {
                    if (idleInit(s.key())) { // then its layer, if unowned, goes in the next round
                        snapshotter.remove(s.key());
                        removed.add(s.key());
                        progress = true;
                    }
                    continue;
                }
                Digest chain;
                try {
                    chain = Digest.parse(s.key());
                } catch (IllegalArgumentException notALayer) {
                    continue; // committed by someone else under another name: not ours to judge
                }
                Layer l = layers.get(chain);
                if (l == null || l.owners().isEmpty()) {
                    if (l != null) {
                        removeLayer(chain);
                    } else {
                        snapshotter.remove(s.key());
                    }
                    removed.add(s.key());
                    progress = true;
                }
            }
        }
        return removed;
    }

    /** A read-write layer {@code id} straight over chain {@code parent} (null: empty); the mounts that show it. */
    public synchronized List<Mount> createReadWrite(String id, Digest parent) throws IOException {
        if (parent != null) {
            require(parent);
        }
        return snapshotter.prepare(RW + id, parent == null ? null : parent.toString());
    }

    /** Fills an init layer, given mounted at {@code root} over its parent layers, as the read-write layer will see it. */
    @FunctionalInterface
    public interface InitFiller {
        void fill(Path root) throws IOException;
    }

    /**
     * A read-write layer {@code id} over an init layer, over chain {@code parent} (moby's layer
     * store with an InitFunc, its "ID-init" layer). What the filler wrote lies below the
     * read-write layer, so the read-write layer's changes, its diff and a commit of it do not
     * hold it. Returns the read-write layer's mounts; a failure leaves no read-write layer (an
     * init layer it committed stays, as any other would).
     *
     * <p>Unlike moby's, the init layer is shared: one per parent and {@code initName}
     * ({@link #initKey}), made by the first read-write layer that needs it (prepared, mounted
     * under ROOT/mnt, filled by {@code init}, unmounted, committed) and found by the rest. Its
     * content depends only on the parent and the filler, and one per read-write layer cost a
     * snapshot prepare and commit (two durable records), a mount, an unmount and the fill at
     * every create and a second removal at every remove: about 6 of the 60 ms of a
     * {@code docker run --rm} (docs/STORAGE.md). So {@code initName} must name what the
     * filler writes: another filler, another name. The init layer is held by its parent layer's
     * owners and by the read-write layers on it, and goes with the last of them (see
     * {@link #release}, {@link #removeReadWrite}, {@link #prune}): a container of an image that
     * stays finds it the next time.
     */
    public List<Mount> createReadWrite(String id, Digest parent, String initName, InitFiller init) throws IOException {
        String shared = initKey(initName, parent);
        String preparing = INIT_PREPARING + id;
        synchronized (this) {
            if (parent != null) {
                require(parent); // checked under the lock, so a release cannot take the parent meanwhile
            }
            if (snapshotter.stat(shared).isPresent()) {
                return snapshotter.prepare(RW + id, shared);
            }
            snapshotter.prepare(preparing, parent == null ? null : parent.toString());
        }
        try {
            fill(preparing, init);
            synchronized (this) {
                if (snapshotter.stat(shared).isEmpty()) {
                    snapshotter.commit(shared, preparing);
                } else {
                    snapshotter.remove(preparing); // filled twice at once: keep the first
                }
                return snapshotter.prepare(RW + id, shared);
            }
        } catch (IOException | RuntimeException e) {
            try {
                if (snapshotter.stat(preparing).isPresent()) {
                    snapshotter.remove(preparing);
                }
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    private void fill(String key, InitFiller init) throws IOException {
        Path target = Files.createTempDirectory(mnt, "init-");
        try {
            snapshotter.mount(key, target);
            try {
                init.fill(target);
            } finally {
                snapshotter.unmount(target);
            }
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** The snapshot key of read-write layer {@code id}, for mounts, diffs and usage. */
    public static String readWriteKey(String id) {
        return RW + id;
    }

    /** The snapshot key of the init layer named {@code initName} over chain {@code parent} (null: none), shared by the read-write layers on it. */
    public static String initKey(String initName, Digest parent) {
        if (initName.isEmpty() || initName.contains("/")) {
            throw new IllegalArgumentException("init layer name must be non-empty and hold no '/': " + initName);
        }
        return INIT + initName + "/" + (parent == null ? "none" : parent.encoded());
    }

    /**
     * Removes read-write layer {@code id}, and its init layer when nothing holds that any more:
     * the parent layer's owners are gone (a layer released while a container stood on it) or
     * there is no parent layer. A read-write layer made before init layers (straight on the
     * image), one made over an init layer of its own ({@code init/ID}, before they were shared),
     * and one whose create stopped halfway go the same way.
     */
    public synchronized void removeReadWrite(String id) throws IOException {
        String initUnder = snapshotter.stat(RW + id).map(SnapshotInfo::parent).orElse(null);
        for (String key : List.of(RW + id, INIT + id, INIT_PREPARING + id)) {
            if (snapshotter.stat(key).isPresent()) {
                snapshotter.remove(key);
            }
        }
        if (initUnder != null && isSharedInit(initUnder) && idleInit(initUnder)) {
            snapshotter.remove(initUnder);
        }
    }

    /** "init/NAME/CHAIN", as opposed to a layer, a read-write layer or an older container's own "init/ID". */
    private static boolean isSharedInit(String key) {
        return key.startsWith(INIT) && key.indexOf('/', INIT.length()) > 0;
    }

    /** A shared init layer that no read-write layer stands on and no owner of its parent layer holds. */
    private boolean idleInit(String key) {
        if (!childless(key)) {
            return false;
        }
        String parent = snapshotter.stat(key).map(SnapshotInfo::parent).orElse(null);
        if (parent == null) {
            return true;
        }
        Layer l = layers.get(Digest.parse(parent));
        return l == null || l.owners().isEmpty();
    }

    /** Removes the idle shared init layers on layer {@code chain}, which then holds no snapshot of theirs. */
    private void removeIdleInits(Digest chain) throws IOException {
        for (SnapshotInfo s : snapshotter.list()) {
            if (chain.toString().equals(s.parent()) && isSharedInit(s.key()) && idleInit(s.key())) {
                snapshotter.remove(s.key());
            }
        }
    }

    /**
     * The mount points of init layers being filled when the last process stopped: unmounted (a
     * mount outlives the process that made it) and removed, so that the snapshot can go.
     */
    private void removeMountPoints() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(mnt)) {
            for (Path p : s) {
                if (MountTable.uses(p)) {
                    Mounter.unmount(p);
                }
                Files.deleteIfExists(p);
            }
        }
    }

    private Optional<Layer> retainIfPresent(Digest chain, String owner) throws IOException {
        synchronized (this) {
            if (layers.containsKey(chain)) {
                retain(chain, owner);
                return Optional.of(layers.get(chain));
            }
            return Optional.empty();
        }
    }

    private boolean unowned(Digest chain) {
        Layer l = layers.get(chain);
        return l != null && l.owners().isEmpty();
    }

    private boolean childless(String key) {
        for (SnapshotInfo s : snapshotter.list()) {
            if (key.equals(s.parent())) {
                return false;
            }
        }
        return true;
    }

    private Layer require(Digest chain) throws SnapshotNotFoundException {
        Layer l = layers.get(chain);
        if (l == null) {
            throw new SnapshotNotFoundException("layer " + chain);
        }
        return l;
    }

    private void removeLayer(Digest chain) throws IOException {
        snapshotter.remove(chain.toString());
        Files.deleteIfExists(record(chain));
        layers.remove(chain);
    }

    private void update(Layer l) throws IOException {
        store(l);
        layers.put(l.chainId(), l);
    }

    private void store(Layer l) throws IOException {
        Stored st = new Stored(l.chainId().toString(), l.diffId().toString(), l.parent() == null ? null : l.parent().toString(),
                l.size(), List.copyOf(new TreeSet<>(l.owners())));
        AtomicFile.write(record(l.chainId()), JSON.writeValueAsBytes(st));
    }

    private Path record(Digest chain) {
        return dir.resolve(chain.encoded() + ".json");
    }
}
