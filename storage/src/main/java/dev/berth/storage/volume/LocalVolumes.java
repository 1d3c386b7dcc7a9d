package dev.berth.storage.volume;

import dev.berth.oci.runtime.Json;
import dev.berth.storage.internal.DiskUsage;
import dev.berth.storage.internal.Trees;
import dev.berth.storage.snapshot.TreeCopier;
import dev.berth.sys.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * docker's "local" volume driver on disk: {@code <root>/<name>/_data} is the volume's content
 * and {@code <root>/<name>/volume.json} its record. A directory without a record (a crash
 * between the two steps of a create) is not a volume and is cleared at the next start.
 * Policy (who uses a volume, what prune may take) is the engine's.
 */
public final class LocalVolumes {
    /** moby's volume/local validName: at least two characters, the first alphanumeric. */
    private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final String RECORD = "volume.json";

    private final Path root;
    private final Map<String, VolumeRecord> byName = new ConcurrentHashMap<>();

    public LocalVolumes(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        restore();
    }

    private void restore() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                Path record = d.resolve(RECORD);
                if (Files.exists(record)) {
                    VolumeRecord r = Json.parse(Files.readString(record), VolumeRecord.class);
                    byName.put(r.name(), r);
                } else if (Files.isDirectory(d)) {
                    Trees.remove(d); // a create that did not finish
                }
            }
        }
    }

    /** Whether {@code name} is a name the local driver accepts; see {@link #invalidName}. */
    public static boolean validName(String name) {
        return VALID_NAME.matcher(name).matches();
    }

    /** docker's message for a name the local driver refuses. */
    public static String invalidName(String name) {
        if (name.length() == 1) {
            return "volume name is too short, names should be at least two alphanumeric characters";
        }
        return "\"" + name + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" "
                + "are allowed. If you intended to pass a host directory, use absolute path";
    }

    /** Creates the volume, or returns the existing one of that name (docker's create is idempotent). */
    public synchronized VolumeRecord create(String name, Map<String, String> labels, Map<String, String> options) throws IOException {
        VolumeRecord existing = byName.get(name);
        if (existing != null) {
            return existing;
        }
        if (!validName(name)) {
            throw new IllegalArgumentException(invalidName(name));
        }
        Path dir = root.resolve(name);
        Files.createDirectories(dir.resolve("_data"));
        String created = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        // Sorted, as Go's encoding/json writes docker's maps.
        VolumeRecord r = new VolumeRecord(name, created, labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels)),
                options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options)));
        AtomicFile.write(dir.resolve(RECORD), Json.write(r).getBytes(StandardCharsets.UTF_8));
        byName.put(name, r);
        return r;
    }

    public Optional<VolumeRecord> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<VolumeRecord> list() {
        List<VolumeRecord> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(VolumeRecord::name));
        return all;
    }

    /** Where the volume's content is, and what a container mounts. */
    public Path mountpoint(String name) {
        return root.resolve(name).resolve("_data");
    }

    /** Removes the record first, so that a crash halfway leaves no volume, only a directory the next start clears. */
    public synchronized void remove(String name) throws IOException {
        if (byName.remove(name) == null) {
            return;
        }
        Path dir = root.resolve(name);
        Files.deleteIfExists(dir.resolve(RECORD));
        Trees.remove(dir);
    }

    /** Whether the volume's directory has no entries: docker copies image content only into an empty volume. */
    public boolean isEmpty(String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(mountpoint(name))) {
            return !s.iterator().hasNext();
        }
    }

    /** Bytes the volume's content takes on disk (du), for prune's SpaceReclaimed. */
    public long size(String name) {
        try {
            return DiskUsage.of(mountpoint(name))[0];
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * docker's copy-up: the image's content at a mount point goes into a new, empty volume with
     * its owners, modes, xattrs and times (and the directory's own), so that a volume on /etc
     * starts as the image's /etc. {@code from} must already be resolved inside the rootfs.
     */
    public void copyUp(Path from, String name) throws IOException {
        if (!Files.isDirectory(from, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !isEmpty(name)) {
            return;
        }
        try (TreeCopier copier = new TreeCopier()) {
            copier.copy(from, mountpoint(name));
        }
    }
}
