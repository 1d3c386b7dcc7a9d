package dev.berth.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Compression;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.InvalidLayerException;
import dev.berth.storage.LayerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LayerDecompressionTest {
    private final byte[] tar = new LayerBuilder().file("a", "hello").tar();

    @Test
    void magicBytesDecide() throws IOException {
        assertThat(Compression.detect(LayerBuilder.gzip(tar), 6)).isEqualTo(Compression.GZIP);
        assertThat(Compression.detect(LayerBuilder.zstd(tar), 6)).isEqualTo(Compression.ZSTD);
        assertThat(Compression.detect(tar, 6)).isEqualTo(Compression.NONE);
    }

    @Test
    void aWrongLabelLosesToTheBytes() throws IOException {
        // An uncompressed tar labelled gzip, and a zstd blob labelled as plain tar, both read.
        try (InputStream in = LayerDecompression.open(new ByteArrayInputStream(tar), MediaTypes.DOCKER_LAYER_GZIP)) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        try (InputStream in = LayerDecompression.open(new ByteArrayInputStream(LayerBuilder.zstd(tar)), MediaTypes.OCI_LAYER)) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
    }

    @Test
    void unknownMediaTypeAndForeignCompressionAreRefused() {
        assertThatThrownBy(() -> LayerDecompression.open(new ByteArrayInputStream(tar), "application/json"))
                .isInstanceOf(InvalidLayerException.class).hasMessageContaining("unknown layer media type");
        byte[] bzip2 = {'B', 'Z', 'h', '9', 0x31, 0x41};
        assertThatThrownBy(() -> LayerDecompression.open(new ByteArrayInputStream(bzip2), null))
                .isInstanceOf(InvalidLayerException.class).hasMessageContaining("bzip2");
    }

    @Test
    void emptyBlobIsAnEmptyTarStream() throws IOException {
        try (InputStream in = LayerDecompression.open(new ByteArrayInputStream(new byte[0]), null)) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
