package dev.berth.storage.snapshot;

import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FsContext;
import dev.berth.sys.Mounts;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Performs {@link Mount}s through FFM: bind mounts with mount(2), overlays with the new mount API.
 *
 * <p>Why the new API for overlay: mount(2) copies its data string into one page, and
 * "lowerdir=/var/lib/.../1/fs:/var/lib/.../2/fs:..." passes 4096 bytes at around 80 layers.
 * docker's overlay2 works around it with short symlinks and a chdir before mount(2), which a
 * multithreaded JVM cannot do safely (the working directory is the process's). fsconfig takes
 * one "lowerdir+" per layer (Linux 6.8, overlayfs.rst "Multiple lower layers"), so a chain is
 * limited only by overlay's own 500 layers. On older kernels, which refuse "lowerdir+", the
 * classic mount(2) is used when the options fit a page, and a clear error is given otherwise.
 */
public final class Mounter {
    private Mounter() {}

    /** Mounts {@code mounts} on {@code target}, stacked in order; undoes the earlier ones if a later one fails. */
    public static void mount(List<Mount> mounts, Path target) throws IOException {
        int stacked = 0;
        try {
            for (Mount m : mounts) {
                mountOne(m, target.toString());
                stacked++;
            }
        } catch (IOException | RuntimeException e) {
            for (; stacked > 0; stacked--) {
                try {
                    Mounts.unmount(target.toString(), Mounts.UMOUNT_NOFOLLOW);
                } catch (SyscallException ignored) {
                    // best effort: the failure that brought us here is the one to report
                }
            }
            throw e;
        }
    }

    /**
     * umount2(UMOUNT_NOFOLLOW) of {@code target}: a symlink placed there is not followed. A mount
     * still in use (EBUSY: a file open in it, such as a `docker cp` stream that has not ended) is
     * detached instead: gone from the tree at once, freed by the kernel when the last user lets go.
     */
    public static void unmount(Path target) throws IOException {
        try {
            Mounts.unmount(target.toString(), Mounts.UMOUNT_NOFOLLOW);
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.EBUSY) {
                try {
                    Mounts.unmount(target.toString(), Mounts.UMOUNT_NOFOLLOW | Mounts.MNT_DETACH);
                    return;
                } catch (SyscallException detach) {
                    throw new IOException("unmount " + target + ": " + detach.errno().lowerMessage(), detach);
                }
            }
            throw new IOException("unmount " + target + ": " + e.errno().lowerMessage(), e);
        }
    }

    private static void mountOne(Mount m, String target) throws IOException {
        try {
            switch (m.type()) {
                case "bind" -> Mounts.bind(m.source(), target, m.options().contains("rbind"), m.readOnly());
                case "overlay" -> overlay(m, target);
                default -> throw new IOException("cannot mount type " + m.type());
            }
        } catch (SyscallException e) {
            throw new IOException("mount " + m.type() + " on " + target + ": " + e.getMessage(), e);
        }
    }

    private static void overlay(Mount m, String target) throws IOException {
        List<String> lowers = new ArrayList<>();
        List<String[]> rest = new ArrayList<>();
        boolean readOnly = false;
        for (String option : m.options()) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? null : option.substring(eq + 1);
            switch (key) {
                case "lowerdir" -> lowers.addAll(List.of(value.split(":")));
                case "ro" -> readOnly = true;
                case "rw" -> { }
                default -> rest.add(new String[] {key, value});
            }
        }
        try (FsContext fs = FsContext.open("overlay")) {
            boolean appended = false;
            try {
                for (String lower : lowers) {
                    fs.set("lowerdir+", lower);
                    appended = true;
                }
            } catch (SyscallException e) {
                if (appended || e.errno().number() != Errno.EINVAL) {
                    throw e;
                }
                classic(m, target, readOnly); // a kernel before 6.8: no "lowerdir+"
                return;
            }
            for (String[] kv : rest) {
                if (kv[1] == null) {
                    fs.flag(kv[0]);
                } else {
                    fs.set(kv[0], kv[1]);
                }
            }
            try (Fd mount = fs.mount(readOnly ? FsContext.MOUNT_ATTR_RDONLY : 0)) {
                FsContext.moveMount(mount, target);
            }
        }
    }

    private static void classic(Mount m, String target, boolean readOnly) throws IOException {
        String data = String.join(",", m.options().stream().filter(o -> !o.equals("ro") && !o.equals("rw")).toList());
        if (data.length() > Mounts.MAX_DATA) {
            throw new IOException("overlay options for " + target + " are " + data.length() + " bytes, more than mount(2) takes ("
                    + Mounts.MAX_DATA + "), and this kernel has no fsconfig \"lowerdir+\" (Linux 6.8): too many layers");
        }
        Mounts.mount("overlay", target, "overlay", readOnly ? Mounts.MS_RDONLY : 0, data);
    }
}
