package dev.berth.storage;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tars in memory with commons-compress, the way the tests need them. */
public final class LayerBuilder {
    public static final Instant T1 = Instant.parse("2021-03-04T05:06:07.1234567Z"); // commons-compress keeps 100 ns
    public static final Instant T2 = Instant.parse("2020-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public LayerBuilder() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** One entry's attributes. */
    public static final class Meta {
        int mode = -1;
        long uid;
        long gid;
        Instant mtime = T2;
        final java.util.Map<String, String> xattrs = new java.util.LinkedHashMap<>();

        public Meta mode(int m) {
            mode = m;
            return this;
        }

        public Meta owner(long u, long g) {
            uid = u;
            gid = g;
            return this;
        }

        public Meta mtime(Instant t) {
            mtime = t;
            return this;
        }

        /** A value of chars U+0000..U+007F only: commons-compress writes PAX values as UTF-8. */
        public Meta xattr(String name, String value) {
            xattrs.put(name, value);
            return this;
        }
    }

    public static Meta meta() {
        return new Meta();
    }

    private void put(TarArchiveEntry e, Meta m, byte[] content) {
        try {
            if (m.mode >= 0) {
                e.setMode(m.mode);
            }
            e.setUserId(m.uid);
            e.setGroupId(m.gid);
            e.setLastModifiedTime(FileTime.from(m.mtime));
            m.xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
            if (content != null) {
                e.setSize(content.length);
            }
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public LayerBuilder dir(String name, Meta m) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        if (m.mode < 0) {
            m.mode(0755);
        }
        put(e, m, null);
        return this;
    }

    public LayerBuilder dir(String name) {
        return dir(name, meta());
    }

    public LayerBuilder file(String name, byte[] content, Meta m) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        if (m.mode < 0) {
            m.mode(0644);
        }
        put(e, m, content);
        return this;
    }

    public LayerBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), meta());
    }

    public LayerBuilder symlink(String name, String target, Meta m) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        if (m.mode < 0) {
            m.mode(0777);
        }
        put(e, m, null);
        return this;
    }

    public LayerBuilder symlink(String name, String target) {
        return symlink(name, target, meta());
    }

    public LayerBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        put(e, meta().mode(0644), null);
        return this;
    }

    public LayerBuilder fifo(String name, Meta m) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        if (m.mode < 0) {
            m.mode(0644);
        }
        put(e, m, null);
        return this;
    }

    public LayerBuilder charDevice(String name, int major, int minor, Meta m) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        if (m.mode < 0) {
            m.mode(0666);
        }
        put(e, m, null);
        return this;
    }

    /** An OCI whiteout for {@code path} (".wh." in front of its last component). */
    public LayerBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(name, new byte[0], meta().mode(0));
    }

    public LayerBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], meta().mode(0));
    }

    /** The uncompressed tar. */
    public byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] tar) {
        return compress(tar, out -> new GzipCompressorOutputStream(out));
    }

    public static byte[] zstd(byte[] tar) {
        return compress(tar, out -> new ZstdOutputStream(out, 3));
    }

    private interface Wrap {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Wrap wrap) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = wrap.wrap(out)) {
            c.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
