package dev.berth.storage.archive;

import dev.berth.storage.InvalidLayerException;

/**
 * What to do with the OCI whiteout entries of a layer (image-spec layer.md "Whiteouts"):
 * {@code .wh.NAME} removes NAME of the lower layers, {@code .wh..wh..opq} hides every lower entry
 * of its directory. Entries of the same layer are never hidden by its own whiteouts ("Files that
 * are present in the same layer as a whiteout file can only be hidden by whiteout files in
 * subsequent layers"), whatever order the archive lists them in.
 */
sealed interface Whiteouts extends AutoCloseable permits OverlayWhiteouts, DeletingWhiteouts {
    String PREFIX = ".wh.";
    String OPAQUE = ".wh..wh..opq";
    /** AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): never content, skipped as docker does. */
    String META_PREFIX = ".wh..wh.";

    static Whiteouts of(ApplyOptions options, RootedTree tree, DirTimes times) {
        return switch (options.whiteouts()) {
            case OVERLAY -> new OverlayWhiteouts(tree, new LowerParents(options.lowerDirs(), times));
            case DELETE -> new DeletingWhiteouts(tree);
        };
    }

    /** {@code target} is named by a whiteout of entry {@code entry}. */
    void whiteout(EntryPath target, String entry) throws InvalidLayerException;

    /** Directory {@code dir} is opaque. */
    void opaque(EntryPath dir, String entry) throws InvalidLayerException;

    /** The layer put {@code path} there itself. */
    void written(EntryPath path);

    /** Sets up a directory created only because an entry needed it as a parent. */
    RootedTree.ParentMaker parents();

    @Override
    void close();
}
