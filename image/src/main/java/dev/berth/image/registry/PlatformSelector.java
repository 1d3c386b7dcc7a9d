package dev.berth.image.registry;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Picks the manifest for a platform out of an index (image-index.md, "platform"). Variants are
 * compared after containerd's normalisation (arm64 means arm64/v8, arm means arm/v7, amd64/v1 is
 * amd64). When no variant was asked for and none matches exactly, the first entry with the same
 * os and architecture is taken. Entries that are not manifests or carry no platform (attestations,
 * "unknown/unknown") are never chosen.
 */
public final class PlatformSelector {
    private PlatformSelector() {}

    public static Descriptor select(ImageIndex index, Platform wanted, String reference) throws NoMatchingPlatformException {
        Platform want = normalize(wanted);
        Descriptor sameArch = null;
        List<Platform> available = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Platform p = d.platform();
            if (p == null || p.os() == null || p.architecture() == null || "unknown".equals(p.os())
                    || !(MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType()) || d.mediaType() == null)) {
                continue;
            }
            available.add(p);
            Platform have = normalize(p);
            if (!have.os().equals(want.os()) || !have.architecture().equals(want.architecture())) {
                continue;
            }
            if (Objects.equals(have.variant(), want.variant())) {
                return d;
            }
            if (wanted.variant() == null && sameArch == null) {
                sameArch = d;
            }
        }
        if (sameArch != null) {
            return sameArch;
        }
        throw new NoMatchingPlatformException(reference, wanted, available);
    }

    static Platform normalize(Platform p) {
        String os = p.os().toLowerCase();
        String arch = p.architecture().toLowerCase();
        String variant = p.variant() == null || p.variant().isEmpty() ? null : p.variant().toLowerCase();
        switch (arch) {
            case "x86_64", "x86-64" -> arch = "amd64";
            case "aarch64" -> arch = "arm64";
            case "i386" -> arch = "386";
            default -> { }
        }
        if (arch.equals("amd64") && "v1".equals(variant)) {
            variant = null;
        } else if (arch.equals("arm64") && variant == null) {
            variant = "v8";
        } else if (arch.equals("arm") && variant == null) {
            variant = "v7";
        }
        return new Platform(arch, os, null, null, variant);
    }
}
