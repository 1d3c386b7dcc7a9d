package dev.berth.storage.diff;

import dev.berth.sys.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes of an overlay snapshot, read from its upper directory alone: everything in it was
 * written by the container; a whiteout is a deletion; a name the lower layers also show is a
 * change, other names are additions. A directory that is only there because something beneath
 * it was copied up counts as changed only if its attributes differ from the lower one's. An
 * opaque directory hides all the lower entries it had, which are reported deleted.
 */
final class OverlayChanges {
    private final Path upper;
    private final LowerView lower;
    private final ChangeSet changes = new ChangeSet();

    private OverlayChanges(Path upper, LowerView lower) {
        this.upper = upper;
        this.lower = lower;
    }

    static java.util.List<Change> of(DiffSource.OverlayUpper source) throws IOException {
        OverlayChanges c = new OverlayChanges(source.upper(), new LowerView(source.lowers()));
        c.walk("", true);
        return c.changes.list();
    }

    /** @param lowerVisible false under an opaque or new directory, where nothing of the lower layers shows */
    private void walk(String dir, boolean lowerVisible) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.isEmpty() ? upper : upper.resolve(dir))) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (String name : names) {
            String path = FileMeta.join(dir, name);
            Path file = upper.resolve(path);
            Optional<FileStat> st = FileMeta.lstat(file);
            if (st.isEmpty()) {
                continue; // removed while we looked
            }
            Optional<FileStat> below = lowerVisible ? lower.lookup(path) : Optional.empty();
            if (st.get().isOverlayWhiteout()) {
                if (below.isPresent()) {
                    changes.add(Change.Kind.DELETED, path);
                }
                continue;
            }
            if (!st.get().isDirectory()) {
                changes.add(below.isPresent() ? Change.Kind.CHANGED : Change.Kind.ADDED, path);
                continue;
            }
            boolean opaque = FileMeta.isOpaque(file);
            if (below.isEmpty() || !below.get().isDirectory()) {
                changes.add(below.isPresent() ? Change.Kind.CHANGED : Change.Kind.ADDED, path);
                walk(path, false);
                continue;
            }
            if (opaque) {
                changes.add(Change.Kind.CHANGED, path);
                for (String gone : lower.children(path)) {
                    if (!Files.exists(file.resolve(gone), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        changes.add(Change.Kind.DELETED, FileMeta.join(path, gone));
                    }
                }
            } else if (differs(st.get(), below.get(), file)) {
                changes.add(Change.Kind.CHANGED, path);
            }
            walk(path, !opaque);
        }
    }

    private static boolean differs(FileStat a, FileStat b, Path file) {
        return a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid()
                || a.mtimeSec() != b.mtimeSec() || a.mtimeNsec() != b.mtimeNsec();
    }
}
