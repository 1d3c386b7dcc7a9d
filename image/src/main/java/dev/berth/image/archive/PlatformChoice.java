package dev.berth.image.archive;

import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Platform;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Picks the manifest for a platform out of an index (image-index.md#platform-variants): os and
 * architecture must match, and the variant too when both name one. An archive may hold an index
 * whose other platforms' blobs were left out (docker 25+ saves just one), so only manifests whose
 * blob is present count.
 */
final class PlatformChoice {
    private PlatformChoice() {}

    static Descriptor choose(List<Descriptor> manifests, Platform want, Predicate<Descriptor> present) {
        for (Descriptor d : manifests) {
            Platform p = d.platform();
            if (p != null && matches(p, want) && present.test(d)) {
                return d;
            }
        }
        throw new InvalidImageException("no image for platform " + want + " in the index (it has: "
                + manifests.stream().map(d -> d.platform() == null ? "unknown" : d.platform().toString())
                        .collect(Collectors.joining(", ")) + ")");
    }

    static boolean matches(Platform have, Platform want) {
        return Objects.equals(have.os(), want.os()) && Objects.equals(have.architecture(), want.architecture())
                && (have.variant() == null || want.variant() == null || have.variant().equals(want.variant()));
    }
}
