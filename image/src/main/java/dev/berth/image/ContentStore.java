package dev.berth.image;

import dev.berth.oci.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Content-addressable blobs under {@code root/blobs/<alg>/<hex>} (the OCI layout's own shape).
 * A blob is written to {@code root/ingest/}, verified against its expected digest and size, then
 * renamed into place: it is never visible unverified, and a crash leaves at most an ingest file.
 * Two writers of the same blob are harmless: both verify, the second rename replaces identical
 * content.
 */
public final class ContentStore {
    private final Path root;

    public ContentStore(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("ingest"));
        Files.createDirectories(root.resolve("blobs"));
    }

    public Path root() {
        return root;
    }

    public boolean has(Digest digest) {
        return Files.exists(path(digest));
    }

    /** Where the blob lives (whether or not it exists). */
    public Path path(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
    }

    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest);
        }
    }

    public byte[] read(Digest digest) throws IOException {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        }
    }

    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest);
        }
    }

    /** Stores {@code content}, returning its sha256 digest. */
    public Digest put(byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        if (!has(digest)) {
            try (BlobWriter w = begin(digest, content.length)) {
                w.write(content);
                w.commit();
            }
        }
        return digest;
    }

    /**
     * Starts writing a blob that must turn out to have {@code expected} digest and, unless
     * {@code expectedSize} is negative, that size. Close without {@link BlobWriter#commit()} to
     * abandon it.
     */
    public BlobWriter begin(Digest expected, long expectedSize) throws IOException {
        Path ingest = root.resolve("ingest").resolve(expected.encoded() + "-" + UUID.randomUUID());
        return new BlobWriter(ingest, expected, expectedSize);
    }

    /**
     * Stores a stream whose digest is not known beforehand (a layer from an archive or an import),
     * returning its sha256 digest: the bytes are hashed as they are written and published under
     * the digest they turn out to have. The stream is read to its end but not closed.
     */
    public Digest put(InputStream in) throws IOException {
        Path ingest = root.resolve("ingest").resolve("stream-" + UUID.randomUUID());
        MessageDigest hasher;
        try {
            hasher = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            try (FileChannel channel = FileChannel.open(ingest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    hasher.update(buf, 0, n);
                }
                channel.force(true);
            }
            Digest digest = new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
            publish(ingest, digest);
            return digest;
        } finally {
            Files.deleteIfExists(ingest);
        }
    }

    /** Renames a verified ingest file into place, then syncs the directory so the name is durable. */
    private void publish(Path ingest, Digest digest) throws IOException {
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        try {
            Files.move(ingest, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(ingest, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    public Set<Digest> list() throws IOException {
        Set<Digest> out = new LinkedHashSet<>();
        Path blobs = root.resolve("blobs");
        try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
            for (Path alg : algs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
                    for (Path f : files) {
                        out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
                    }
                }
            }
        }
        return out;
    }

    /** An in-progress blob: bytes are hashed as they are written; commit verifies and publishes. */
    public final class BlobWriter extends FilterOutputStream {
        private final Path ingest;
        private final Digest expected;
        private final long expectedSize;
        private final MessageDigest hasher;
        private final FileChannel channel;
        private long written;
        private boolean done;

        private BlobWriter(Path ingest, Digest expected, long expectedSize) throws IOException {
            super(null);
            this.ingest = ingest;
            this.expected = expected;
            this.expectedSize = expectedSize;
            this.hasher = expected.newHasher();
            this.channel = FileChannel.open(ingest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.out = java.nio.channels.Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            hasher.update(b, off, len);
            written += len;
        }

        public long written() {
            return written;
        }

        /** Verifies digest and size, then makes the blob visible. A mismatch deletes what was written. */
        public void commit() throws IOException {
            out.flush();
            channel.force(true);
            channel.close();
            done = true;
            Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(hasher.digest()));
            if (!actual.equals(expected) || (expectedSize >= 0 && written != expectedSize)) {
                Files.deleteIfExists(ingest);
                throw new DigestMismatchException(expected, actual, expectedSize, written);
            }
            publish(ingest, expected);
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                channel.close();
                Files.deleteIfExists(ingest);
            }
        }
    }
}
