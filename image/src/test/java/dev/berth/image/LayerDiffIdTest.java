package dev.berth.image;

import dev.berth.oci.image.Compression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerDiffIdTest {
    private final byte[] tar = TestImages.tar(Map.of("etc/hello", "hello\n"));

    @Test
    void detectsByMagicAndComputesTheSameDiffIdForEveryEncoding() throws IOException {
        Digest expected = Digest.sha256(tar);
        for (Compression c : new Compression[] {Compression.NONE, Compression.GZIP, Compression.ZSTD}) {
            byte[] blob = TestImages.compress(tar, c);
            assertThat(Compression.detect(blob, blob.length)).isEqualTo(c);
            Compression.Measured m = Compression.diffId(new ByteArrayInputStream(blob));
            assertThat(m.digest()).as(c.name()).isEqualTo(expected);
            assertThat(m.size()).isEqualTo(tar.length);
        }
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws IOException {
        byte[] half1 = TestImages.compress(Arrays.copyOfRange(tar, 0, 700), Compression.GZIP);
        byte[] half2 = TestImages.compress(Arrays.copyOfRange(tar, 700, tar.length), Compression.GZIP);
        byte[] both = new byte[half1.length + half2.length];
        System.arraycopy(half1, 0, both, 0, half1.length);
        System.arraycopy(half2, 0, both, half1.length, half2.length);
        assertThat(Compression.diffId(new ByteArrayInputStream(both)).digest()).isEqualTo(Digest.sha256(tar));
    }

    @Test
    void truncatedGzipFails() {
        byte[] gz = TestImages.compress(tar, Compression.GZIP);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> Compression.diffId(new ByteArrayInputStream(cut))).isInstanceOf(IOException.class);
    }

    @Test
    void mediaTypes() {
        assertThat(Compression.ofMediaType(MediaTypes.DOCKER_LAYER_GZIP)).isEqualTo(Compression.GZIP);
        assertThat(Compression.ofMediaType(MediaTypes.OCI_LAYER)).isEqualTo(Compression.NONE);
        assertThat(Compression.ofMediaType(MediaTypes.OCI_LAYER_ZSTD)).isEqualTo(Compression.ZSTD);
        assertThat(Compression.ofMediaType("text/plain")).isNull();
        assertThat(Compression.GZIP.layerMediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
        assertThat(Compression.detect(xz, xz.length)).isEqualTo(Compression.XZ);
        assertThatThrownBy(() -> Compression.XZ.decompress(new ByteArrayInputStream(xz)))
                .hasMessageContaining("xz-compressed input is not supported");
    }
}
