package dev.berth.image.archive;

import dev.berth.oci.image.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where a layout is written: a tar stream ({@code docker save}) or a directory ({@code oci:dir}).
 * Blobs are content-addressed, so each is written once however many images share it.
 */
sealed interface LayoutSink extends Closeable permits TarSink, DirectorySink {

    /** Opens a blob's bytes when (and only if) the sink needs them. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    /** True if the blob is there already (so a costly source, like a decompression, can be skipped). */
    boolean contains(Digest digest);

    /** Writes {@code blobs/<alg>/<hex>} unless it was written already. */
    void blob(Digest digest, long size, Content content) throws IOException;

    /** Writes a metadata file (index.json, manifest.json, ...) at a path relative to the layout root. */
    void file(String path, byte[] content) throws IOException;
}
