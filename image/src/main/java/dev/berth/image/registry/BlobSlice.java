package dev.berth.image.registry;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;

/**
 * Bytes [offset, offset+length) of a stored blob as a request body with a Content-Length, counting
 * what HttpClient reads into the layer's progress. A fresh stream is opened for every send.
 */
final class BlobSlice {
    private final ContentStore store;
    private final Digest digest;
    private final long offset;
    private final long length;
    private final LayerReporter progress;

    BlobSlice(ContentStore store, Digest digest, long offset, long length, LayerReporter progress) {
        this.store = store;
        this.digest = digest;
        this.offset = offset;
        this.length = length;
        this.progress = progress;
    }

    long offset() {
        return offset;
    }

    long length() {
        return length;
    }

    HttpRequest.BodyPublisher publisher() {
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody(); // fromPublisher wants a positive length
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::open), length);
    }

    private InputStream open() {
        try {
            InputStream in = store.open(digest);
            in.skipNBytes(offset);
            return new Counting(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Counting extends FilterInputStream {
        private long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = length - read;
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                read += n;
                progress.report(LayerProgress.Phase.PUSHING, offset + read);
            }
            return n;
        }
    }
}
