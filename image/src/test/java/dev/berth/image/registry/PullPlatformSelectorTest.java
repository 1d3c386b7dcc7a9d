package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a platform's manifest out of an index (PlatformSelector). */
class PullPlatformSelectorTest {
    private static Descriptor entry(int n, String os, String arch, String variant) {
        Digest d = Digest.sha256(new byte[] {(byte) n});
        return new Descriptor(MediaTypes.OCI_MANIFEST, d.toString(), 100, null, null,
                new Platform(arch, os, null, null, variant), null, null);
    }

    private final ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(
            entry(1, "linux", "amd64", null),
            entry(2, "linux", "arm", "v6"),
            entry(3, "linux", "arm", "v7"),
            entry(4, "linux", "arm64", "v8"),
            entry(5, "unknown", "unknown", null)), null, null);

    @Test
    void exactAndNormalisedMatches() throws Exception {
        assertThat(PlatformSelector.select(index, Platform.parse("linux/amd64"), "x")).isEqualTo(index.manifests().get(0));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm64"), "x")).isEqualTo(index.manifests().get(3));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm64/v8"), "x")).isEqualTo(index.manifests().get(3));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm"), "x")).isEqualTo(index.manifests().get(2));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm/v6"), "x")).isEqualTo(index.manifests().get(1));
        assertThat(PlatformSelector.select(index, new Platform("x86_64", "linux", null, null, null), "x"))
                .isEqualTo(index.manifests().get(0));
    }

    @Test
    void missingPlatformListsTheAvailableOnesButNotAttestations() {
        assertThatThrownBy(() -> PlatformSelector.select(index, Platform.parse("linux/s390x"), "127.0.0.1:5000/a:multi"))
                .isInstanceOf(NoMatchingPlatformException.class)
                .hasMessage("no matching manifest for linux/s390x in the manifest list entries of 127.0.0.1:5000/a:multi"
                        + " (available: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8)");
        assertThatThrownBy(() -> PlatformSelector.select(index, Platform.parse("linux/arm/v5"), "a"))
                .isInstanceOf(NoMatchingPlatformException.class);
    }
}
