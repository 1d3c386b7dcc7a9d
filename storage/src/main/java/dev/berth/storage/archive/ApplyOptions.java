package dev.berth.storage.archive;

import dev.berth.oci.image.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * How to apply a layer.
 *
 * @param whiteouts      what whiteouts become
 * @param lowerDirs      for {@link WhiteoutMode#OVERLAY}: all the layers below, topmost first
 *                       (none for a base layer). A whiteout is only written where they show
 *                       something to hide. A directory the archive does not list but needs (the
 *                       parent of a whiteout) takes owner, mode and times from the first of them
 *                       that has it, so that overlayfs, which shows the upper copy's attributes,
 *                       shows the same ones.
 * @param expectedDiffId when not null, the sha256 the uncompressed archive must have (the image
 *                       config's rootfs.diff_ids entry); anything else fails the apply
 */
public record ApplyOptions(WhiteoutMode whiteouts, List<Path> lowerDirs, Digest expectedDiffId) {
    public ApplyOptions {
        lowerDirs = List.copyOf(lowerDirs);
    }

    public static ApplyOptions overlay(List<Path> lowerDirs) {
        return new ApplyOptions(WhiteoutMode.OVERLAY, lowerDirs, null);
    }

    public static ApplyOptions deleting() {
        return new ApplyOptions(WhiteoutMode.DELETE, List.of(), null);
    }

    public ApplyOptions expecting(Digest diffId) {
        return new ApplyOptions(whiteouts, lowerDirs, diffId);
    }
}
