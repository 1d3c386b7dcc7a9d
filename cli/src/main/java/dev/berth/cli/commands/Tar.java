package dev.berth.cli.commands;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The little tar `cp` needs, without a library on the CLI's class path: ustar entries (GNU
 * long names for paths over 100 bytes) written from a host tree, and read back into one.
 */
final class Tar {
    private Tar() {}

    /** One entry read back: its name, type ('0' file, '5' dir, '2' symlink, '1' hard link), mode, mtime, link target. */
    record Entry(String name, char type, int mode, long mtime, String link, long size) {}

    // ---- writing ----

    /** Writes {@code source} (a file, directory tree or symlink) under the name {@code root}. */
    static void write(Path source, String root, OutputStream out, boolean followLink) throws IOException {
        add(source, root, out, followLink);
        try (Stream<Path> walk = Files.isDirectory(source, followLink ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS})
                ? Files.walk(source) : Stream.empty()) {
            for (Path p : (Iterable<Path>) walk.skip(1)::iterator) {
                add(p, root + "/" + source.relativize(p).toString(), out, false);
            }
        }
        out.write(new byte[1024]);
        out.flush();
    }

    private static void add(Path p, String name, OutputStream out, boolean follow) throws IOException {
        LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, opts);
        int mode = 0;
        for (PosixFilePermission perm : a.permissions()) {
            mode |= 1 << (8 - perm.ordinal());
        }
        int uid = 0, gid = 0;
        try {
            uid = (Integer) Files.getAttribute(p, "unix:uid", opts);
            gid = (Integer) Files.getAttribute(p, "unix:gid", opts);
        } catch (UnsupportedOperationException | IllegalArgumentException ignored) {
            // no unix view: root ownership
        }
        long mtime = a.lastModifiedTime().toMillis() / 1000;
        if (a.isSymbolicLink()) {
            header(out, name, '2', mode, uid, gid, 0, mtime, Files.readSymbolicLink(p).toString());
        } else if (a.isDirectory()) {
            header(out, name + "/", '5', mode, uid, gid, 0, mtime, "");
        } else if (a.isRegularFile()) {
            header(out, name, '0', mode, uid, gid, a.size(), mtime, "");
            long n;
            try (InputStream in = Files.newInputStream(p)) {
                n = in.transferTo(out);
            }
            if (n != a.size()) {
                throw new IOException(p + " changed size while being copied");
            }
            pad(out, n);
        }
    }

    private static void header(OutputStream out, String name, char type, int mode, int uid, int gid, long size, long mtime,
                               String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            longName(out, 'L', nameBytes);
        }
        if (linkBytes.length > 100) {
            longName(out, 'K', linkBytes);
        }
        byte[] h = new byte[512];
        put(h, 0, 100, nameBytes);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 157, 100, linkBytes);
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        checksum(h);
        out.write(h);
    }

    private static void longName(OutputStream out, char type, byte[] name) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, 100, "././@LongLink".getBytes(StandardCharsets.US_ASCII));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, name.length + 1);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        put(h, 257, 8, "ustar  \0".getBytes(StandardCharsets.US_ASCII));
        checksum(h);
        out.write(h);
        out.write(name);
        out.write(0);
        pad(out, name.length + 1);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        while (s.length() < len - 1) {
            s = "0" + s;
        }
        put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void checksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String s = Long.toOctalString(sum);
        while (s.length() < 6) {
            s = "0" + s;
        }
        put(h, 148, 8, (s + "\0 ").getBytes(StandardCharsets.US_ASCII));
    }

    private static void pad(OutputStream out, long n) throws IOException {
        int r = (int) (n % 512);
        if (r != 0) {
            out.write(new byte[512 - r]);
        }
    }

    // ---- reading ----

    interface Target {
        /** Where an entry of this name goes on the host, or null to skip it. */
        Path resolve(String name);
    }

    /** Extracts the archive: every entry at {@code target.resolve(name)}; directories' times set last. */
    static void extract(InputStream in, Target target) throws IOException {
        byte[] h = new byte[512];
        String longName = null, longLink = null;
        List<Object[]> dirs = new java.util.ArrayList<>();
        Set<Path> seen = new HashSet<>();
        while (true) {
            if (!readFully(in, h)) {
                break;
            }
            if (allZero(h)) {
                break;
            }
            char type = (char) (h[156] == 0 ? '0' : h[156]);
            long size = parseOctal(h, 124, 12);
            String name = longName != null ? longName : string(h, 0, 100);
            String prefix = string(h, 345, 155);
            if (longName == null && !prefix.isEmpty() && string(h, 257, 6).startsWith("ustar")) {
                name = prefix + "/" + name;
            }
            String link = longLink != null ? longLink : string(h, 157, 100);
            if (type == 'L' || type == 'K') {
                byte[] data = in.readNBytes((int) size);
                skip(in, pad(size));
                String s = new String(data, StandardCharsets.UTF_8);
                int nul = s.indexOf('\0');
                s = nul < 0 ? s : s.substring(0, nul);
                if (type == 'L') {
                    longName = s;
                } else {
                    longLink = s;
                }
                continue;
            }
            if (type == 'x' || type == 'g') {
                byte[] data = in.readNBytes((int) size);
                skip(in, pad(size));
                if (type == 'x') {
                    String[] pax = paxPathAndLink(new String(data, StandardCharsets.UTF_8));
                    if (pax[0] != null) {
                        longName = pax[0];
                    }
                    if (pax[1] != null) {
                        longLink = pax[1];
                    }
                }
                continue;
            }
            longName = null;
            longLink = null;
            int mode = (int) parseOctal(h, 100, 8) & 07777;
            long mtime = parseOctal(h, 136, 12);
            while (name.endsWith("/") && name.length() > 1) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.startsWith("./")) {
                name = name.substring(2);
            }
            Path dest = target.resolve(name);
            if (dest == null) {
                skip(in, size + pad(size));
                continue;
            }
            if (dest.getParent() != null) {
                Files.createDirectories(dest.getParent());
            }
            switch (type) {
                case '5' -> {
                    if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(dest);
                        Files.createDirectory(dest);
                    }
                    dirs.add(new Object[] {dest, mode, mtime});
                    skip(in, size + pad(size));
                }
                case '2' -> {
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                    skip(in, size + pad(size));
                }
                case '1' -> {
                    Path from = target.resolve(link);
                    Files.deleteIfExists(dest);
                    if (from != null) {
                        Files.createLink(dest, from);
                    }
                    skip(in, size + pad(size));
                }
                case '0', '7' -> {
                    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("cannot overwrite directory " + dest + " with non-directory");
                    }
                    Files.deleteIfExists(dest);
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        copy(in, out, size);
                    }
                    skip(in, pad(size));
                    perms(dest, mode);
                    Files.setLastModifiedTime(dest, FileTime.fromMillis(mtime * 1000));
                }
                default -> skip(in, size + pad(size));
            }
            seen.add(dest);
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path d = (Path) dirs.get(i)[0];
            perms(d, (Integer) dirs.get(i)[1]);
            Files.setLastModifiedTime(d, FileTime.fromMillis((Long) dirs.get(i)[2] * 1000));
        }
    }

    private static String[] paxPathAndLink(String records) {
        String path = null, link = null;
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (sp < 0 || eq < sp) {
                continue;
            }
            String key = line.substring(sp + 1, eq), value = line.substring(eq + 1);
            if (key.equals("path")) {
                path = value;
            } else if (key.equals("linkpath")) {
                link = value;
            }
        }
        return new String[] {path, link};
    }

    private static void perms(Path p, int mode) throws IOException {
        Set<PosixFilePermission> set = new HashSet<>();
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        Files.setPosixFilePermissions(p, set);
    }

    private static long pad(long size) {
        return (512 - size % 512) % 512;
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[65536];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("unexpected end of tar archive");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        copy(in, OutputStream.nullOutputStream(), n);
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0) {
            return false;
        }
        if (n < b.length) {
            throw new EOFException("unexpected end of tar archive");
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = string(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
