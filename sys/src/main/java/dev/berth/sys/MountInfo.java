package dev.berth.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of /proc/PID/mountinfo (proc(5); Documentation/filesystems/proc.rst, "3.5
 * /proc/&lt;pid&gt;/mountinfo"), as fs/proc_namespace.c show_mountinfo writes it:
 * <pre>
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
 * </pre>
 * (7) is zero or more optional fields ended by the "-" separator (8), so every field after it is
 * found from the separator, never by position. The one parser for this file: callers keep their
 * own questions (cgroup mounts, mount points, bind mounts) and ask them of these records.
 *
 * @param mountId        (1) unique id of the mount
 * @param parentId       (2) id of the parent mount (itself for the root of the mount tree)
 * @param major          (3) major device number of the superblock; bind mounts of one
 *                       filesystem share it with {@code minor}
 * @param minor          (3) minor device number of the superblock
 * @param root           (4) the directory of the filesystem mounted here: "/" unless this is a
 *                       bind mount of a sub-tree
 * @param mountPoint     (5) where it is mounted, relative to this process's root
 * @param mountOptions   (6) per-mount options (rw, nosuid, relatime...)
 * @param optionalFields (7) tag[:value] fields: shared:N, master:N, propagate_from:N, unbindable
 * @param fsType         (9) filesystem type, with a subtype after a dot (fuse.sshfs)
 * @param source         (10) filesystem-specific source ("none" when there is none)
 * @param superOptions   (11) per-superblock options (rw, memory, lowerdir=...), each decoded
 */
public record MountInfo(int mountId, int parentId, int major, int minor, String root, String mountPoint,
                        List<String> mountOptions, List<String> optionalFields, String fsType, String source,
                        List<String> superOptions) {
    /** This process's mount table. */
    public static final Path SELF = Path.of("/proc/self/mountinfo");

    /** Fields before the optional ones: (1) to (6). */
    private static final int FIXED = 6;

    public MountInfo {
        mountOptions = List.copyOf(mountOptions);
        optionalFields = List.copyOf(optionalFields);
        superOptions = List.copyOf(superOptions);
    }

    /** "major:minor", as the kernel writes field (3). */
    public String device() {
        return major + ":" + minor;
    }

    /** The mounts in /proc/self/mountinfo. */
    public static List<MountInfo> self() throws IOException {
        return read(SELF);
    }

    /**
     * The mounts listed in {@code file}, in its order. Read whole with {@link KernelFiles}, as
     * /proc files report size 0, then parsed.
     *
     * @throws IllegalArgumentException for a line not of the documented shape
     */
    public static List<MountInfo> read(Path file) throws IOException {
        return parse(KernelFiles.read(file));
    }

    /**
     * The mounts in {@code text}, one per non-blank line.
     *
     * @throws IllegalArgumentException for a line not of the documented shape
     */
    public static List<MountInfo> parse(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    private static MountInfo parseLine(String line) {
        // Split on single spaces: a field with a space in it has it escaped, and an empty source
        // (mount(2) with "") shows as two spaces in a row, an empty field that must not vanish.
        String[] f = line.split(" ", -1);
        int dash = Arrays.asList(f).subList(Math.min(FIXED, f.length), f.length).indexOf("-");
        if (dash < 0 || f.length < FIXED + dash + 4) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line);
        }
        dash += FIXED;
        int colon = f[2].indexOf(':');
        try {
            return new MountInfo(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(f[2], 0, Math.max(colon, 0), 10),
                    Integer.parseInt(f[2], colon + 1, f[2].length(), 10),
                    unescape(f[3]), unescape(f[4]),
                    options(f[5]), List.of(f).subList(FIXED, dash),
                    unescape(f[dash + 1]), unescape(f[dash + 2]), options(f[dash + 3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line, e);
        }
    }

    /**
     * Splits on the commas the kernel wrote, then decodes each option: filesystems show an option
     * value with seq_show_option (include/linux/seq_file.h), which escapes a comma in it as \054,
     * so decoding first would split a path with a comma in two.
     */
    private static List<String> options(String field) {
        return field.isEmpty() ? List.of() : Arrays.stream(field.split(",")).map(MountInfo::unescape).toList();
    }

    /**
     * Undoes the kernel's escaping: seq_escape writes each character of its set (space, tab,
     * newline and backslash in paths; also the comma in option values) as a backslash and three
     * octal digits, "\040" for a space. Only ASCII is ever escaped, so a digit triple is one char.
     * A backslash not followed by three octal digits is left as it is.
     */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s, i + 1, i + 4, 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
