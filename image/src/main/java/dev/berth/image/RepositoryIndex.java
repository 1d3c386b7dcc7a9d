package dev.berth.image;

import dev.berth.sys.AtomicFile;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Names to image IDs, kept in a file shaped like docker's {@code image/<driver>/repositories.json}:
 * {@code {"Repositories": {"<name>": {"<name>:<tag>" or "<name>@<digest>": "sha256:<id>"}}}}.
 * Unlike docker, keys are full normalized names (docker.io/library/busybox), so that "busybox" and
 * "docker.io/busybox" can never be two entries. Not thread-safe: {@link ImageStore} serializes use.
 */
final class RepositoryIndex {
    private static final TypeReference<Map<String, Map<String, Map<String, String>>>> FILE_TYPE = new TypeReference<>() {};

    private static final System.Logger LOG = System.getLogger(RepositoryIndex.class.getName());

    private final Path file;
    /** Keyed by the reference's normalized string so that iteration (and the file) is sorted. */
    private final TreeMap<String, Entry> refs = new TreeMap<>();

    private record Entry(ImageReference ref, Digest id) {}

    RepositoryIndex(Path file) throws IOException {
        this.file = file;
        load();
    }

    private void load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        Map<String, Map<String, Map<String, String>>> doc = ImageJson.MAPPER.readValue(bytes, FILE_TYPE);
        Map<String, Map<String, String>> repositories = doc.getOrDefault("Repositories", Map.of());
        for (Map<String, String> byRef : repositories.values()) {
            for (Map.Entry<String, String> e : byRef.entrySet()) {
                try {
                    ImageReference ref = ImageReference.parseNormalizedNamed(e.getKey());
                    refs.put(ref.toString(), new Entry(ref, Digest.parse(e.getValue())));
                } catch (IllegalArgumentException bad) {
                    // A name this version cannot parse must not keep the store from opening.
                    LOG.log(System.Logger.Level.WARNING, "ignoring reference " + e.getKey() + " in " + file + ": "
                            + bad.getMessage());
                }
            }
        }
    }

    /** Writes the whole index atomically: one file, so a crash never leaves half a rename. */
    void save() throws IOException {
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (Entry e : refs.values()) {
            repositories.computeIfAbsent(e.ref().name(), k -> new TreeMap<>()).put(e.ref().toString(), e.id().toString());
        }
        AtomicFile.write(file, ImageJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(Map.of("Repositories", repositories)));
    }

    Digest get(ImageReference ref) {
        Entry e = refs.get(ref.toString());
        return e == null ? null : e.id();
    }

    /** Points {@code ref} at {@code id}; returns what it pointed at before, or null. */
    Digest put(ImageReference ref, Digest id) {
        Entry old = refs.put(ref.toString(), new Entry(ref, id));
        return old == null ? null : old.id();
    }

    Digest remove(ImageReference ref) {
        Entry old = refs.remove(ref.toString());
        return old == null ? null : old.id();
    }

    /** References to {@code id}, sorted. */
    List<ImageReference> referencesTo(Digest id) {
        List<ImageReference> out = new ArrayList<>();
        for (Entry e : refs.values()) {
            if (e.id().equals(id)) {
                out.add(e.ref());
            }
        }
        return out;
    }

    /** All references, sorted. */
    List<ImageReference> all() {
        return refs.values().stream().map(Entry::ref).toList();
    }

    /** Drops references whose image is gone (e.g. a crash between deleting an image and its names). */
    boolean retainImages(Predicate<Digest> exists) {
        return refs.values().removeIf(e -> !exists.test(e.id()));
    }
}
