package dev.berth.storage.archive;

import dev.berth.oci.image.Digest;
import dev.berth.storage.InvalidLayerException;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A layer blob read as tar entries: decompressed (by magic) on a read-ahead thread, hashed for
 * the diffID, parsed by commons-compress, with each entry's xattrs taken from the raw PAX header ({@link PaxXattrs}).
 * Every read failure, a truncated gzip or zstd stream, a bad CRC, a short tar, a malformed header,
 * becomes an {@link InvalidLayerException} that says so.
 *
 * <p>Stream positions: commons-compress reads one 512-byte record at a time and nothing ahead, so
 * when {@link #next} is called after the previous entry's data was read to its end, the next
 * header chain starts at the first 512-byte boundary at or after the current position.
 */
final class TarSource implements Closeable {
    private static final int BLOCK = 512;

    private final HashingInputStream hashed;
    private final HeaderCapture capture;
    private final TarArchiveInputStream tar;
    private Map<String, byte[]> xattrs = Map.of();
    private TarArchiveEntry current;

    private TarSource(InputStream uncompressed) {
        // Decompression on a second thread (ReadAheadInputStream says why); sha256 stays on this
        // one, which has less to do: inflate is about four times the cost of hashing.
        this.hashed = new HashingInputStream(new ReadAheadInputStream(uncompressed));
        this.capture = new HeaderCapture(hashed);
        this.tar = new TarArchiveInputStream(capture);
    }

    /** Opens {@code blob}; {@code mediaType} may be null (the magic bytes decide). */
    static TarSource open(InputStream blob, String mediaType) throws IOException {
        return new TarSource(LayerDecompression.open(blob, mediaType));
    }

    /** The next entry, or null at the end of the archive. */
    TarArchiveEntry next() throws InvalidLayerException {
        try {
            if (current != null) {
                tar.transferTo(java.io.OutputStream.nullOutputStream()); // whatever the caller left unread
            }
            long start = capture.position();
            long headers = (start + BLOCK - 1) / BLOCK * BLOCK;
            capture.begin();
            current = tar.getNextEntry();
            byte[] raw = capture.end();
            xattrs = current == null ? Map.of() : PaxXattrs.parse(raw, (int) (headers - start));
            return current;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** The current entry's extended attributes, values as raw bytes. */
    Map<String, byte[]> xattrs() {
        return xattrs;
    }

    /** The current entry's content; read failures come out as InvalidLayerException. */
    InputStream content() {
        return new FilterInputStream(tar) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException | RuntimeException e) {
                    throw corrupt(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(e);
                }
            }

            @Override
            public void close() {
                // the entry stream belongs to the archive
            }
        };
    }

    /**
     * Reads what follows the end-of-archive blocks (record padding; a decompressor's trailer,
     * whose CRC and length are checked only when reached) and returns the diffID of all of it.
     */
    Digest finish() throws InvalidLayerException {
        try {
            capture.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
        return new Digest("sha256", HexFormat.of().formatHex(hashed.digest()));
    }

    /** Bytes of uncompressed archive read so far. */
    long size() {
        return hashed.count();
    }

    private static InvalidLayerException corrupt(Exception e) {
        if (e instanceof InvalidLayerException invalid) {
            return invalid;
        }
        String what = e.getMessage() != null ? e.getMessage()
                : e instanceof java.io.EOFException ? "the stream ends before the archive does" : e.getClass().getSimpleName();
        return new InvalidLayerException("layer archive is truncated or corrupt: " + what, e);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
