package dev.berth.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Directory work shared by the managers: checking a cgroupsPath, making its directories (and
 * knowing which ones we made), removing them, and listing the pids of a sub-tree.
 */
final class CgroupTree {
    static final String PATH_FIELD = "linux.cgroupsPath";
    /** How long destroy() waits for a cgroup to empty (dying tasks leave it asynchronously). */
    static final long RMDIR_PATIENCE_MS = 3000;

    private CgroupTree() {}

    /**
     * "/a/b" from an OCI cgroupsPath. A relative path is taken from the hierarchy's root too
     * (the runtime spec leaves the base of relative paths to the runtime; runc's fs driver would
     * use its own cgroup, which differs per hierarchy and would scatter a container). Refuses the
     * root itself, "." and ".." components, and systemd's "slice:prefix:name" form.
     */
    static String normalize(String cgroupsPath) {
        if (cgroupsPath == null || cgroupsPath.isBlank()) {
            throw new CgroupException(PATH_FIELD, "is empty; the caller must choose the container's cgroup path");
        }
        if (cgroupsPath.indexOf(':') >= 0) {
            throw new CgroupException(PATH_FIELD, "\"" + cgroupsPath + "\" looks like a systemd slice:prefix:name"
                    + " path; only the cgroupfs driver is supported");
        }
        List<String> parts = new ArrayList<>();
        for (String p : cgroupsPath.split("/")) {
            if (p.isEmpty()) continue;
            if (p.equals(".") || p.equals("..") || p.indexOf('\0') >= 0) {
                throw new CgroupException(PATH_FIELD, "\"" + cgroupsPath + "\" may not contain \".\" or \"..\"");
            }
            parts.add(p);
        }
        if (parts.isEmpty()) {
            throw new CgroupException(PATH_FIELD, "may not be the root cgroup");
        }
        return "/" + String.join("/", parts);
    }

    /** mkdir each missing component of {@code leaf} below {@code top}; returns those made, top-down. */
    static List<Path> mkdirs(Path top, Path leaf) {
        List<Path> chain = new ArrayList<>();
        for (Path p = leaf; !p.equals(top); p = p.getParent()) {
            chain.addFirst(p);
        }
        List<Path> made = new ArrayList<>();
        for (Path p : chain) {
            try {
                Files.createDirectory(p);
                made.add(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw undo(made, new CgroupException(PATH_FIELD, "mkdir " + p + ": exists and is not a directory", e));
                }
            } catch (IOException e) {
                throw undo(made, new CgroupException(PATH_FIELD, "mkdir " + p + ": " + CgroupDir.reason(e), e));
            }
        }
        return made;
    }

    /** Removes {@code made} and returns {@code e} to throw, so a failed create leaves nothing behind. */
    static CgroupException undo(List<Path> made, CgroupException e) {
        try {
            remove(made);
        } catch (CgroupException undo) {
            e.addSuppressed(undo);
        }
        return e;
    }

    /**
     * rmdir every directory, deepest first. A cgroup still holding tasks (or children) answers
     * EBUSY; tasks that were just killed take a moment to leave, so retry until
     * {@link #RMDIR_PATIENCE_MS}. Missing directories count as removed.
     */
    static void remove(List<Path> dirs) {
        List<Path> order = new ArrayList<>(dirs);
        order.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        long deadline = System.currentTimeMillis() + RMDIR_PATIENCE_MS;
        CgroupException failure = null;
        for (Path p : order) {
            long sleepMs = 1;
            while (true) {
                try {
                    Files.deleteIfExists(p);
                    break;
                } catch (FileSystemException e) {
                    boolean busy = e instanceof DirectoryNotEmptyException
                            || String.valueOf(e.getReason()).contains("busy");
                    if (!busy || System.currentTimeMillis() > deadline) {
                        CgroupException ce = new CgroupException("destroy", "rmdir " + p + ": "
                                + CgroupDir.reason(e) + pidsNote(p), e);
                        if (failure == null) failure = ce; else failure.addSuppressed(ce);
                        break;
                    }
                    sleepMs = sleep(sleepMs);
                } catch (IOException e) {
                    CgroupException ce = new CgroupException("destroy", "rmdir " + p + ": " + CgroupDir.reason(e), e);
                    if (failure == null) failure = ce; else failure.addSuppressed(ce);
                    break;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static String pidsNote(Path p) {
        try {
            TreeSet<Integer> pids = pids(p);
            return pids.isEmpty() ? "" : " (still holds pids " + pids + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Pids in cgroup.procs of {@code dir} and every cgroup below it; empty if it does not exist. */
    static TreeSet<Integer> pids(Path dir) {
        TreeSet<Integer> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.filter(Files::isDirectory).forEach(d -> {
                try {
                    for (String line : Files.readAllLines(d.resolve("cgroup.procs"))) {
                        if (!line.isBlank()) out.add(Integer.parseInt(line.trim()));
                    }
                } catch (NoSuchFileException e) {
                    // removed while we walked
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            if (io instanceof NoSuchFileException) {
                return out; // a child cgroup went away mid-walk: what we have is the answer
            }
            throw new CgroupException("pids", "read cgroup.procs under " + dir + ": " + CgroupDir.reason(io), e);
        }
        return out;
    }

    private static long sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("destroy", "interrupted");
        }
        return Math.min(ms * 2, 100);
    }
}
