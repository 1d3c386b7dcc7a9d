package dev.berth.storage.diff;

import dev.berth.oci.image.Compression;
import dev.berth.storage.archive.TarWriter;
import dev.berth.sys.FileStat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot's changes as an OCI layer (image-spec layer.md "Change Types"): added and changed
 * entries with their owner, mode, mtime and xattrs, deletions as {@code .wh.NAME}, directories
 * that hide their lower contents followed by {@code .wh..wh..opq}. Applying it onto the
 * snapshot's parent gives the snapshot back. Entries are sorted, parents first, so the same
 * tree always gives the same diffID.
 */
public final class DiffTar {
    private DiffTar() {}

    /** Writes the layer for {@code source} to {@code out} (left open), compressed as asked. */
    public static DiffResult write(DiffSource source, OutputStream out, Compression compression) throws IOException {
        DigestingOutputStream blob = new DigestingOutputStream(out);
        OutputStream compressed = compression.compress(blob);
        DigestingOutputStream plain = new DigestingOutputStream(compressed);
        TarWriter tar = new TarWriter(plain);
        TreeArchiver archiver = new TreeArchiver(tar);
        switch (source) {
            case DiffSource.OverlayUpper upper -> upper(archiver, upper.upper(), "");
            case DiffSource.TwoTrees trees -> trees(archiver, trees);
        }
        tar.finish();
        if (compressed != blob) {
            compressed.close(); // writes the compressor's trailer; blob does not close out
        }
        blob.flush();
        return new DiffResult(plain.digest(), plain.count(), blob.digest(), blob.count(), compression.layerMediaType());
    }

    /** Everything in an overlay upper directory, whiteouts and opaque directories converted. */
    private static void upper(TreeArchiver archiver, Path upper, String dir) throws IOException {
        for (String name : names(dir.isEmpty() ? upper : upper.resolve(dir))) {
            String path = FileMeta.join(dir, name);
            Path file = upper.resolve(path);
            Optional<FileStat> st = FileMeta.lstat(file);
            if (st.isEmpty()) {
                continue;
            }
            if (st.get().isOverlayWhiteout()) {
                archiver.whiteout(dir, name, st.get().mtimeSec());
            } else if (st.get().isDirectory()) {
                archiver.add(file, path, st.get());
                if (FileMeta.isOpaque(file)) {
                    archiver.opaque(path, st.get().mtimeSec());
                }
                upper(archiver, upper, path);
            } else {
                archiver.add(file, path, st.get());
            }
        }
    }

    /** The changes between two trees: new and changed entries from the tree, whiteouts for the rest. */
    private static void trees(TreeArchiver archiver, DiffSource.TwoTrees trees) throws IOException {
        for (Change c : TreeChanges.of(trees)) {
            String path = c.path().substring(1);
            if (c.kind() == Change.Kind.DELETED) {
                int slash = path.lastIndexOf('/');
                String dir = slash < 0 ? "" : path.substring(0, slash);
                long mtime = FileMeta.lstat(dir.isEmpty() ? trees.tree() : trees.tree().resolve(dir))
                        .map(FileStat::mtimeSec).orElse(0L);
                archiver.whiteout(dir, path.substring(slash + 1), mtime);
            } else {
                Path file = trees.tree().resolve(path);
                Optional<FileStat> st = FileMeta.lstat(file);
                if (st.isPresent()) {
                    archiver.add(file, path, st.get());
                }
            }
        }
    }

    static Set<String> names(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
