package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdTest {
    @Test
    void followsConfigMd() {
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
        Digest c = Digest.sha256("c".getBytes(StandardCharsets.UTF_8));
        assertThat(ChainId.of(null, a)).isEqualTo(a);
        Digest ab = Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8));
        assertThat(ChainId.of(a, b)).isEqualTo(ab);
        assertThat(ChainId.of(List.of(a, b, c))).isEqualTo(Digest.sha256((ab + " " + c).getBytes(StandardCharsets.UTF_8)));
    }
}
