package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {
    private static final Digest A = new Digest("sha256", "a".repeat(64));
    private static final Digest B = new Digest("sha256", "b".repeat(64));
    private static final Digest C = new Digest("sha256", "c".repeat(64));

    @Test
    void followsTheImageSpecRecursion() {
        // Expected values from: printf '%s %s' "$parent" "$diffid" | sha256sum
        assertThat(ChainIds.of(List.of(A, B, C))).containsExactly(A,
                Digest.parse("sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c"),
                Digest.parse("sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588"));
    }

    @Test
    void sharedBasesShareChainIds() {
        assertThat(ChainIds.of(List.of(A, B)).get(1)).isEqualTo(ChainIds.of(List.of(A, B, C)).get(1));
        assertThat(ChainIds.of(List.of(B, A)).get(1)).isNotEqualTo(ChainIds.of(List.of(A, B)).get(1));
        assertThat(ChainIds.of(List.of())).isEmpty();
    }

    @Test
    void topAndNextAgreeWithTheList() {
        assertThat(ChainIds.next(null, A)).isEqualTo(A);
        assertThat(ChainIds.next(A, B)).isEqualTo(ChainIds.of(List.of(A, B)).get(1));
        assertThat(ChainIds.top(List.of(A, B, C))).isEqualTo(ChainIds.of(List.of(A, B, C)).get(2));
    }
}
