package dev.berth.image.archive;

import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A layout as a tar stream. Entries get fixed modes and mtime 0, so saving the same images twice
 * gives the same bytes. Closing finishes the tar but leaves the underlying stream open (it may be
 * an HTTP response that the caller still owns).
 */
final class TarSink implements LayoutSink {
    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();

    TarSink(OutputStream out) {
        this.tar = new TarArchiveOutputStream(new NonClosing(out));
        // POSIX (PAX) headers for long names and sizes past 8 GiB, as GNU tar and docker read them.
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    @Override
    public boolean contains(Digest digest) {
        return written.contains(OciLayout.blobPath(digest));
    }

    @Override
    public void blob(Digest digest, long size, Content content) throws IOException {
        String path = OciLayout.blobPath(digest);
        if (written.contains(path)) {
            return;
        }
        directory(OciLayout.BLOBS_DIR + "/");
        directory(OciLayout.BLOBS_DIR + "/" + digest.algorithm() + "/");
        try (InputStream in = content.open()) {
            entry(path, size, in);
        }
    }

    @Override
    public void file(String path, byte[] content) throws IOException {
        if (!written.contains(path)) {
            entry(path, content.length, new java.io.ByteArrayInputStream(content));
        }
    }

    private void directory(String path) throws IOException {
        if (written.add(path)) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarArchiveEntry.LF_DIR);
            e.setMode(040755);
            e.setModTime(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }
    }

    private void entry(String path, long size, InputStream in) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setMode(0100644);
        e.setSize(size);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        long copied = in.transferTo(tar);
        if (copied != size) {
            throw new IOException(path + ": expected " + size + " bytes, read " + copied);
        }
        tar.closeArchiveEntry();
        written.add(path);
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }

    /** Keeps the caller's stream open when the tar is closed; flushes instead. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
