package dev.berth.storage.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a POSIX.1-2001 (pax) tar, as Go's archive/tar does for docker and containerd: a ustar
 * header per entry, preceded by a pax extended header ('x') when a value does not fit ustar: a
 * long or non-ASCII name or link target, an id or size too large for its octal field, and
 * xattrs, which go as "SCHILY.xattr.NAME" records with their raw bytes (see {@link PaxXattrs} on
 * why this is not done with commons-compress). The archive ends with two zero blocks.
 *
 * <p>Times are whole seconds, as docker writes layers (pkg/archive truncates ModTime and drops
 * atime and ctime): one pax header fewer per entry, and the same tree gives the same diffID.
 */
public final class TarWriter implements Closeable {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_8 = 07777777L, MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private boolean finished;
    private long written;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Adds one entry; a regular file's {@code content} must hold exactly {@code header.size()} bytes. */
    public void add(TarHeader h, InputStream content) throws IOException {
        Map<String, byte[]> pax = new TreeMap<>();
        byte[] block = new byte[BLOCK];
        byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
        if (!ascii(name) || !splitName(name, block)) {
            pax.put("path", name);
            put(block, 0, 100, truncate(ascii(name) ? name : ("PaxHeaders.0/entry").getBytes(StandardCharsets.US_ASCII), 100));
        }
        byte[] link = h.linkName().getBytes(StandardCharsets.UTF_8);
        if (link.length > 100 || !ascii(link)) {
            pax.put("linkpath", link);
        } else {
            put(block, 157, 100, link);
        }
        octal(block, 100, 8, h.mode() & 07777);
        numeric(block, 108, 8, h.uid(), MAX_OCTAL_8, "uid", pax);
        numeric(block, 116, 8, h.gid(), MAX_OCTAL_8, "gid", pax);
        long size = h.type() == TarHeader.FILE ? h.size() : 0;
        numeric(block, 124, 12, size, MAX_OCTAL_12, "size", pax);
        numeric(block, 136, 12, h.mtimeSec(), MAX_OCTAL_12, "mtime", pax);
        block[156] = (byte) h.type();
        put(block, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(block, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        if (h.type() == TarHeader.CHAR_DEVICE || h.type() == TarHeader.BLOCK_DEVICE) {
            base256IfNeeded(block, 329, h.devMajor());
            base256IfNeeded(block, 337, h.devMinor());
        }
        h.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            writePax(h, pax);
        }
        checksum(block);
        write(block, BLOCK);
        if (size > 0) {
            copy(content, size, h.name());
        }
    }

    /** The two zero blocks that end an archive; then flushes. */
    public void finish() throws IOException {
        if (!finished) {
            write(new byte[BLOCK * 2], BLOCK * 2);
            out.flush();
            finished = true;
        }
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void writePax(TarHeader h, Map<String, byte[]> records) throws IOException {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            data.writeBytes(record(r.getKey(), r.getValue()));
        }
        byte[] body = data.toByteArray();
        byte[] block = new byte[BLOCK];
        String base = h.name().endsWith("/") ? h.name().substring(0, h.name().length() - 1) : h.name();
        base = base.substring(base.lastIndexOf('/') + 1);
        byte[] paxName = ("PaxHeaders.0/" + base).getBytes(StandardCharsets.UTF_8);
        put(block, 0, 100, truncate(ascii(paxName) ? paxName : "PaxHeaders.0/entry".getBytes(StandardCharsets.US_ASCII), 100));
        octal(block, 100, 8, 0644);
        octal(block, 108, 8, 0);
        octal(block, 116, 8, 0);
        octal(block, 124, 12, body.length);
        octal(block, 136, 12, Math.max(0, Math.min(h.mtimeSec(), MAX_OCTAL_12)));
        block[156] = 'x';
        put(block, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(block, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        checksum(block);
        write(block, BLOCK);
        write(body, body.length);
        pad(body.length);
    }

    /** "LEN KEY=VALUE\n", LEN counting its own digits (pax, "extended header keywords"). */
    private static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + k.length + 1 + value.length + 1; // space, key, '=', value, newline
        int len = rest + Integer.toString(rest).length();
        if (Integer.toString(len).length() != Integer.toString(rest).length()) {
            len = rest + Integer.toString(len).length();
        }
        byte[] r = new byte[len];
        byte[] digits = Integer.toString(len).getBytes(StandardCharsets.US_ASCII);
        int at = 0;
        System.arraycopy(digits, 0, r, at, digits.length);
        at += digits.length;
        r[at++] = ' ';
        System.arraycopy(k, 0, r, at, k.length);
        at += k.length;
        r[at++] = '=';
        System.arraycopy(value, 0, r, at, value.length);
        at += value.length;
        r[at] = '\n';
        return r;
    }

    /** Puts {@code name} in ustar's name field, or prefix (155) + name (100) split at a '/'. */
    private static boolean splitName(byte[] name, byte[] block) {
        if (name.length <= 100) {
            put(block, 0, 100, name);
            return true;
        }
        for (int i = name.length - 1; i > 0; i--) {
            if (name[i] == '/' && i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
                put(block, 345, 155, Arrays.copyOfRange(name, 0, i));
                put(block, 0, 100, Arrays.copyOfRange(name, i + 1, name.length));
                return true;
            }
        }
        return false;
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x == 0x7f) { // negative: not ASCII; control characters are not portable either
                return false;
            }
        }
        return true;
    }

    private static byte[] truncate(byte[] b, int max) {
        return b.length <= max ? b : Arrays.copyOf(b, max);
    }

    private static void put(byte[] block, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, block, offset, Math.min(length, value.length));
    }

    /** An octal field: digits, zero-padded, then NUL. */
    private static void octal(byte[] block, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - s.length())) + s;
        put(block, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
        block[offset + length - 1] = 0;
    }

    private static void numeric(byte[] block, int offset, int length, long value, long max, String key, Map<String, byte[]> pax) {
        if (value >= 0 && value <= max) {
            octal(block, offset, length, value);
        } else {
            octal(block, offset, length, 0);
            pax.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Device numbers have no pax keyword; GNU's base-256 form carries large ones. */
    private static void base256IfNeeded(byte[] block, int offset, int value) {
        long v = Integer.toUnsignedLong(value);
        if (v <= MAX_OCTAL_8) {
            octal(block, offset, 8, v);
            return;
        }
        block[offset] = (byte) 0x80;
        for (int i = 7; i >= 1; i--) {
            block[offset + i] = (byte) (v & 0xff);
            v >>>= 8;
        }
    }

    /** Header checksum: the byte sum with the checksum field as spaces, six octal digits, NUL, space. */
    private static void checksum(byte[] block) {
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        String s = Long.toOctalString(sum);
        put(block, 148, 6, ("0".repeat(Math.max(0, 6 - s.length())) + s).getBytes(StandardCharsets.US_ASCII));
        block[154] = 0;
        block[155] = ' ';
    }

    private void copy(InputStream content, long size, String name) throws IOException {
        long left = size;
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException(name + ": file shrank while being archived (" + (size - left) + " of " + size + " bytes)");
            }
            write(buffer, n);
            left -= n;
        }
        pad(size);
    }

    private void pad(long length) throws IOException {
        int rem = (int) (length % BLOCK);
        if (rem != 0) {
            write(new byte[BLOCK - rem], BLOCK - rem);
        }
    }

    private void write(byte[] b, int n) throws IOException {
        out.write(b, 0, n);
        written += n;
    }
}
