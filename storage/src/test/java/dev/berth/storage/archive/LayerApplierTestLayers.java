package dev.berth.storage.archive;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The layers LayerApplierTest builds, for the other tests. */
public final class LayerApplierTestLayers {
    private LayerApplierTestLayers() {}

    public static byte[] base() {
        try {
            return LayerApplierTest.baseLayer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] whiteouts() {
        return LayerApplierTest.whiteoutLayer();
    }
}
