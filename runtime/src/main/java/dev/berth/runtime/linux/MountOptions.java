package dev.berth.runtime.linux;

import dev.berth.oci.runtime.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of a config.json mount split as mount(2) wants them: flags, propagation flags
 * (which need a call of their own) and the filesystem's data string. Follows mount(8)'s names.
 */
public record MountOptions(long flags, long clearFlags, long propagation, String data, boolean bind, boolean recursive) {

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /** option name -> {flag, 1 if the option sets it / 0 if it clears it}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("ro", new long[] {MS_RDONLY, 1}), Map.entry("rw", new long[] {MS_RDONLY, 0}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 1}), Map.entry("suid", new long[] {MS_NOSUID, 0}),
            Map.entry("nodev", new long[] {MS_NODEV, 1}), Map.entry("dev", new long[] {MS_NODEV, 0}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 1}), Map.entry("exec", new long[] {MS_NOEXEC, 0}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 1}), Map.entry("async", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 1}), Map.entry("remount", new long[] {MS_REMOUNT, 1}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 1}), Map.entry("nomand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("atime", new long[] {MS_NOATIME, 0}), Map.entry("noatime", new long[] {MS_NOATIME, 1}),
            Map.entry("diratime", new long[] {MS_NODIRATIME, 0}), Map.entry("nodiratime", new long[] {MS_NODIRATIME, 1}),
            Map.entry("relatime", new long[] {MS_RELATIME, 1}), Map.entry("norelatime", new long[] {MS_RELATIME, 0}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 1}), Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 1}), Map.entry("nolazytime", new long[] {MS_LAZYTIME, 0}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 1}), Map.entry("symfollow", new long[] {MS_NOSYMFOLLOW, 0}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    public static MountOptions parse(List<String> options, String type, String field) {
        long flags = 0, clear = 0, propagation = 0;
        boolean bind = "bind".equals(type), recursive = false;
        List<String> data = new ArrayList<>();
        for (String option : options == null ? List.<String>of() : options) {
            long[] flag = FLAGS.get(option);
            if (flag != null) {
                if (flag[1] == 1) {
                    flags |= flag[0];
                    clear &= ~flag[0];
                } else {
                    flags &= ~flag[0];
                    clear |= flag[0];
                }
            } else if (PROPAGATION.containsKey(option)) {
                propagation |= PROPAGATION.get(option);
            } else if (option.equals("bind")) {
                bind = true;
            } else if (option.equals("rbind")) {
                bind = true;
                recursive = true;
            } else if (option.startsWith("x-") || option.equals("defaults")) {
                // mount(8) ignores x-* user options; "defaults" means no flag.
            } else if (option.startsWith("r") && FLAGS.containsKey(option.substring(1))
                    && option.length() > 2 && !option.equals("relatime")) {
                throw new SpecException(field + ": recursive mount option \"" + option + "\" is not supported");
            } else if (option.equals("idmap") || option.equals("ridmap")) {
                throw new SpecException(field + ": option \"" + option + "\" (id-mapped mounts) is not supported");
            } else {
                data.add(option);
            }
        }
        return new MountOptions(flags, clear, propagation, String.join(",", data), bind, recursive);
    }
}
