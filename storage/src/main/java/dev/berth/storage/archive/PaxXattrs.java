package dev.berth.storage.archive;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Extended attributes from the raw PAX extended header of one tar entry.
 *
 * <p>Why raw: commons-compress decodes every PAX value as UTF-8 into a String, and xattr values
 * are bytes. security.capability (struct vfs_cap_data) holds capability bits, and any of bits 7,
 * 15, 23 or 31 of a word (CAP_SETUID is 7) makes a byte that is not valid UTF-8, which decoding
 * replaces with U+FFFD. So the header blocks are read again here, byte for byte.
 *
 * <p>Formats: a PAX header block has typeflag 'x' (POSIX.1-2001, pax "ustar Interchange Format
 * extended header"), its data is a sequence of records "LEN KEY=VALUE\n", LEN counting the whole
 * record in decimal. Xattrs are "SCHILY.xattr.NAME=VALUE" (star, GNU tar, Go's archive/tar, so
 * docker and containerd) or "LIBARCHIVE.xattr.URLENCODED_NAME=BASE64_VALUE" (bsdtar); SCHILY wins
 * when both name the same attribute.
 */
final class PaxXattrs {
    private static final int BLOCK = 512;
    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private PaxXattrs() {}

    /**
     * The xattrs of the entry whose header chain starts at {@code offset} of {@code headers}: the
     * blocks before the entry's own header (PAX 'x', GNU long name 'L' and link 'K', global 'g'),
     * the entry's header last.
     */
    static Map<String, byte[]> parse(byte[] headers, int offset) {
        Map<String, byte[]> schily = new LinkedHashMap<>();
        Map<String, byte[]> libarchive = new LinkedHashMap<>();
        int at = offset;
        while (at >= 0 && at + BLOCK <= headers.length) {
            char type = (char) headers[at + 156];
            long size = number(headers, at + 124, 12);
            int data = at + BLOCK;
            if (size < 0 || data + size > headers.length) {
                break;
            }
            if (type == 'x' || type == 'X') {
                // A later extended header replaces an earlier one for the same entry.
                schily.clear();
                libarchive.clear();
                records(headers, data, (int) size, schily, libarchive);
            } else if (type != 'g' && type != 'L' && type != 'K') {
                break; // the entry's own header
            }
            at = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        libarchive.forEach(schily::putIfAbsent);
        return schily;
    }

    private static void records(byte[] b, int start, int length, Map<String, byte[]> schily, Map<String, byte[]> libarchive) {
        int at = start;
        int end = start + length;
        while (at < end) {
            int space = at;
            while (space < end && b[space] != ' ') {
                space++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(b, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return; // malformed: commons-compress reports it for the entry
            }
            int recordEnd = at + len;
            if (len <= 0 || recordEnd > end) {
                return;
            }
            int equals = space + 1;
            while (equals < recordEnd && b[equals] != '=') {
                equals++;
            }
            if (equals < recordEnd) {
                String key = new String(b, space + 1, equals - space - 1, StandardCharsets.UTF_8);
                int valueStart = equals + 1;
                int valueEnd = recordEnd - 1; // the record's final newline
                byte[] value = java.util.Arrays.copyOfRange(b, valueStart, Math.max(valueStart, valueEnd));
                if (key.startsWith(SCHILY)) {
                    schily.put(key.substring(SCHILY.length()), value);
                } else if (key.startsWith(LIBARCHIVE)) {
                    try {
                        String name = java.net.URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
                        libarchive.put(name, Base64.getDecoder().decode(value));
                    } catch (IllegalArgumentException ignored) {
                        // not base64: skip this one attribute rather than guess
                    }
                }
            }
            at = recordEnd;
        }
    }

    /** A numeric header field: octal text, or base-256 when the top bit of the first byte is set (GNU). */
    static long number(byte[] b, int offset, int length) {
        if ((b[offset] & 0x80) != 0) {
            long v = b[offset] & 0x3f; // positive numbers only; the sign bit (0x40) would mean negative
            for (int i = 1; i < length; i++) {
                v = (v << 8) | (b[offset + i] & 0xff);
            }
            return (b[offset] & 0x40) != 0 ? -1 : v;
        }
        long v = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        for (; i < end; i++) {
            int c = b[i];
            if (c < '0' || c > '7') {
                break;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
