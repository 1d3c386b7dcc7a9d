package dev.berth.storage.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.storage.SnapshotConflictException;
import dev.berth.storage.SnapshotNotFoundException;
import dev.berth.sys.AtomicFile;
import dev.berth.storage.internal.DiskUsage;
import dev.berth.storage.internal.MountTable;
import dev.berth.storage.internal.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshots of one snapshotter on disk: {@code snapshots/ID/info.json} per snapshot, ID a
 * short number (short paths keep mount options and error messages readable), the snapshot's
 * files beside it. The key-to-ID index lives in memory, rebuilt from the info files at start.
 *
 * <p>Crash safety: a snapshot exists once its info.json does (written atomically); a directory
 * without one is the leftover of an interrupted create and is removed at start. Removal renames
 * the directory to {@code removing-ID} first, so an interrupted removal is finished at start too.
 * One process owns a root at a time (the daemon); within it every method is synchronized.
 */
final class SnapshotRecords {
    /** A snapshot and the directory that holds it. */
    record Entry(String id, SnapshotInfo info, Path dir) {
        /** The snapshot's own tree (the upper directory of an overlay, the whole copy of a copy). */
        Path fs() {
            return dir.resolve("fs");
        }
    }

    private record Stored(String key, String kind, String parent, String created) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String INFO = "info.json";

    private final Path dir;
    private final Map<String, Entry> byKey = new HashMap<>();
    private long nextId = 1;

    SnapshotRecords(Path root) throws IOException {
        this.dir = root.resolve("snapshots");
        Files.createDirectories(dir);
        load();
    }

    private void load() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                Path info = p.resolve(INFO);
                if (!name.chars().allMatch(Character::isDigit) || !Files.isRegularFile(info)) {
                    leftovers.add(p);
                    continue;
                }
                Stored st = JSON.readValue(info.toFile(), Stored.class);
                SnapshotInfo si = new SnapshotInfo(st.key(), SnapshotInfo.Kind.valueOf(st.kind()), st.parent(),
                        Instant.parse(st.created()));
                byKey.put(st.key(), new Entry(name, si, p));
                nextId = Math.max(nextId, Long.parseLong(name) + 1);
            }
        }
        for (Path p : leftovers) {
            Trees.remove(p);
        }
    }

    synchronized Optional<Entry> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    synchronized Entry get(String key) throws SnapshotNotFoundException {
        Entry e = byKey.get(key);
        if (e == null) {
            throw new SnapshotNotFoundException("snapshot \"" + key + "\"");
        }
        return e;
    }

    synchronized List<SnapshotInfo> list() {
        return byKey.values().stream().map(Entry::info).sorted(Comparator.comparing(SnapshotInfo::created)).toList();
    }

    /** The keys of the snapshots whose parent is {@code key}. */
    synchronized List<String> children(String key) {
        return byKey.values().stream().filter(e -> key.equals(e.info().parent())).map(e -> e.info().key()).toList();
    }

    /**
     * Creates the record and its directory; {@code parent} must be a committed snapshot. The
     * directory is the caller's to fill; if that fails, the caller removes the snapshot.
     */
    synchronized Entry create(String key, SnapshotInfo.Kind kind, String parent) throws IOException {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("snapshot key is empty");
        }
        if (byKey.containsKey(key)) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" already exists");
        }
        if (parent != null) {
            Entry p = get(parent);
            if (p.info().kind() != SnapshotInfo.Kind.COMMITTED) {
                throw new SnapshotConflictException("parent \"" + parent + "\" is " + p.info().kind().name().toLowerCase()
                        + ", not committed");
            }
        }
        String id = Long.toString(nextId++);
        Path d = dir.resolve(id);
        Files.createDirectory(d);
        SnapshotInfo info = new SnapshotInfo(key, kind, parent, Instant.now());
        try {
            store(d, info);
        } catch (IOException | RuntimeException e) {
            Trees.remove(d);
            throw e;
        }
        Entry e = new Entry(id, info, d);
        byKey.put(key, e);
        return e;
    }

    /** Turns active snapshot {@code key} into committed snapshot {@code name}. */
    synchronized Entry commit(String name, String key) throws IOException {
        Entry e = get(key);
        if (e.info().kind() != SnapshotInfo.Kind.ACTIVE) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is " + e.info().kind().name().toLowerCase()
                    + "; only an active snapshot can be committed");
        }
        if (byKey.containsKey(name)) {
            throw new SnapshotConflictException("snapshot \"" + name + "\" already exists");
        }
        SnapshotInfo committed = new SnapshotInfo(name, SnapshotInfo.Kind.COMMITTED, e.info().parent(), Instant.now());
        store(e.dir(), committed);
        byKey.remove(key);
        Entry c = new Entry(e.id(), committed, e.dir());
        byKey.put(name, c);
        return c;
    }

    /** Forgets {@code key} and removes its directory; refuses while it has children. */
    /** Removes a snapshot that is not mounted anywhere; a mounted one is a conflict. */
    void removeUnmounted(String key) throws IOException {
        if (MountTable.uses(get(key).dir())) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is mounted; unmount it first");
        }
        remove(key);
    }

    /** du of a snapshot's own tree. */
    Usage usage(String key) throws IOException {
        long[] du = DiskUsage.of(get(key).fs());
        return new Usage(du[0], du[1]);
    }

    synchronized void remove(String key) throws IOException {
        Entry e = get(key);
        List<String> kids = children(key);
        if (!kids.isEmpty()) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is the parent of " + kids.size()
                    + " other snapshot(s), e.g. \"" + kids.getFirst() + "\"");
        }
        Path doomed = dir.resolve("removing-" + e.id());
        Files.move(e.dir(), doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        byKey.remove(key);
        AtomicFile.syncDirectory(dir);
        Trees.remove(doomed);
    }

    /** The committed snapshots from {@code key} down to the base, topmost first. */
    synchronized List<Entry> chain(String key) throws SnapshotNotFoundException {
        List<Entry> chain = new ArrayList<>();
        for (String k = key; k != null; k = chain.getLast().info().parent()) {
            chain.add(get(k));
        }
        return chain;
    }

    private static void store(Path d, SnapshotInfo info) throws IOException {
        Stored st = new Stored(info.key(), info.kind().name(), info.parent(), info.created().toString());
        AtomicFile.write(d.resolve(INFO), JSON.writeValueAsBytes(st));
    }
}
