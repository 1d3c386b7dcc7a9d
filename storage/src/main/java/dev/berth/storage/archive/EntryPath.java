package dev.berth.storage.archive;

import dev.berth.storage.UnsafeEntryException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry's name made relative and clean: leading "/" and "./" dropped, "." and empty
 * components removed, ".." folded lexically. A name whose ".." climbs above the root is refused
 * here, so no ".." ever reaches the kernel; symlinks are the kernel's job (openat2
 * RESOLVE_BENEATH in {@link RootedTree}). The root itself is the empty path.
 */
record EntryPath(String path) {
    static final EntryPath ROOT = new EntryPath("");

    /** Cleans {@code raw}, the name of entry {@code entry} (used in the error). */
    static EntryPath of(String raw, String entry) throws UnsafeEntryException {
        if (raw.indexOf('\0') >= 0) {
            throw new UnsafeEntryException(entry, "the name holds a NUL byte");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UnsafeEntryException(entry, "\"..\" leads outside the layer root");
                }
                parts.removeLast();
            } else {
                parts.add(part);
            }
        }
        return new EntryPath(String.join("/", parts));
    }

    boolean isRoot() {
        return path.isEmpty();
    }

    /** The last component ("" for the root). */
    String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Everything before the last component ("" when the parent is the root). */
    String parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    EntryPath child(String name) {
        return new EntryPath(path.isEmpty() ? name : path + "/" + name);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "/" : path;
    }
}
