package dev.berth.storage.archive;

import dev.berth.storage.InvalidLayerException;
import dev.berth.sys.AttrsAt;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Directory times, set last: creating or removing an entry in a directory updates its mtime, so
 * a directory's time from the archive only sticks once everything inside it is in place.
 */
final class DirTimes {
    private record Times(String path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {}

    private final List<Times> pending = new ArrayList<>();

    void add(String path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {
        pending.add(new Times(path, atimeSec, atimeNsec, mtimeSec, mtimeNsec));
    }

    /** Sets each recorded time on what is still a directory at its path. */
    void apply(RootedTree tree) throws InvalidLayerException {
        for (Times t : pending.reversed()) {
            EntryPath p = new EntryPath(t.path());
            Fd parent = tree.directory(p.parent(), t.path(), null);
            if (parent == null) {
                continue;
            }
            String name = p.isRoot() ? "" : p.name();
            Optional<FileStat> st = AttrsAt.statIfExists(parent, name);
            if (st.isPresent() && st.get().isDirectory()) {
                AttrsAt.setTimes(parent, name, t.atimeSec(), t.atimeNsec(), t.mtimeSec(), t.mtimeNsec());
            }
        }
        pending.clear();
    }
}
