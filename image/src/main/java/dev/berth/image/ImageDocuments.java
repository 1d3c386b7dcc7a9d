package dev.berth.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parsing of image documents, with errors that say which document is malformed and where. */
public final class ImageDocuments {
    private ImageDocuments() {}

    public static Manifest manifest(byte[] bytes) {
        return parse(bytes, Manifest.class, "manifest");
    }

    public static ImageConfig config(byte[] bytes) {
        return parse(bytes, ImageConfig.class, "image config");
    }

    /** An image index (or Docker manifest list); schemaVersion must be 2 (image-index.md). */
    public static ImageIndex index(byte[] bytes) {
        ImageIndex index = parse(bytes, ImageIndex.class, "image index");
        if (index.schemaVersion() != 2) {
            throw new InvalidImageException("image index schemaVersion " + index.schemaVersion() + " is not supported (want 2)");
        }
        return index;
    }

    /** The config's rootfs.diff_ids (config.md#properties: rootfs.type must be "layers"). */
    public static List<Digest> diffIds(ImageConfig config) {
        ImageConfig.RootFs rootfs = config.rootfs();
        if (rootfs == null) {
            throw new InvalidImageException("image config has no rootfs");
        }
        if (!"layers".equals(rootfs.type())) {
            throw new InvalidImageException("image config rootfs.type is \"" + rootfs.type() + "\", want \"layers\"");
        }
        List<String> ids = rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
        List<Digest> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(digest(ids.get(i), "rootfs.diff_ids[" + i + "]"));
        }
        return out;
    }

    /** A digest field of a document; a bad one is an {@link InvalidImageException} naming the field. */
    public static Digest digest(String text, String field) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(field + ": " + e.getMessage());
        }
    }

    private static <T> T parse(byte[] bytes, Class<T> type, String what) {
        try {
            return ImageJson.MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidImageException("malformed " + what + ": " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new InvalidImageException("malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
