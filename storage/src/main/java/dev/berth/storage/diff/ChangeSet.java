package dev.berth.storage.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects changes with docker's rule for directories (pkg/archive/changes.go): a directory is
 * reported changed when its own attributes changed, and also whenever an entry directly in it
 * was added or deleted, even if its attributes look the same. The root is never listed.
 */
final class ChangeSet {
    private final Map<String, Change.Kind> changes = new TreeMap<>();

    void add(Change.Kind kind, String path) {
        changes.putIfAbsent(path, kind);
        if (kind != Change.Kind.CHANGED) {
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                changes.putIfAbsent(path.substring(0, slash), Change.Kind.CHANGED);
            }
        }
    }

    /** Sorted by path. */
    List<Change> list() {
        List<Change> out = new ArrayList<>(changes.size());
        changes.forEach((path, kind) -> out.add(new Change(kind, "/" + path)));
        return out;
    }
}
