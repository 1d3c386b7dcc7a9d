package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.util.Locale;

/** A manifest or index as the registry sent it: the exact bytes (their digest is its identity) and media type. */
public record RemoteManifest(byte[] bytes, String mediaType, Digest digest) {

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public Manifest manifest() throws InvalidManifestException {
        if (isIndex()) {
            throw new InvalidManifestException(digest + " is an index (" + mediaType + "), not an image manifest");
        }
        Manifest m = parse(Manifest.class);
        if (m.config() == null || m.layers() == null) {
            throw new InvalidManifestException("manifest " + digest + " has no " + (m.config() == null ? "config" : "layers"));
        }
        return m;
    }

    public ImageIndex index() throws InvalidManifestException {
        if (!isIndex()) {
            throw new InvalidManifestException(digest + " is an image manifest (" + mediaType + "), not an index");
        }
        ImageIndex i = parse(ImageIndex.class);
        if (i.manifests() == null) {
            throw new InvalidManifestException("index " + digest + " has no manifests");
        }
        return i;
    }

    private <T> T parse(Class<T> type) throws InvalidManifestException {
        try {
            return RegistryJson.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new InvalidManifestException("malformed " + mediaType + " " + digest + ": " + e.getMessage());
        }
    }

    /**
     * The media type of manifest bytes: the Content-Type when it names one we know, else the
     * document's own "mediaType" field, else its shape (manifest.md allows OCI documents without
     * mediaType: "manifests" means an index, "config" a manifest). Schema 1 is refused, as docker
     * has since 2023.
     */
    static String mediaTypeOf(String contentType, byte[] bytes) throws InvalidManifestException {
        String ct = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (MediaTypes.isIndex(ct) || MediaTypes.isManifest(ct)) {
            return ct;
        }
        JsonNode doc;
        try {
            doc = RegistryJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new InvalidManifestException("manifest is not JSON (Content-Type " + contentType + ")");
        }
        if (doc == null || !doc.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        JsonNode declared = doc.get("mediaType");
        if (declared != null && declared.isTextual()
                && (MediaTypes.isIndex(declared.asText()) || MediaTypes.isManifest(declared.asText()))) {
            return declared.asText();
        }
        if (doc.path("schemaVersion").asInt() == 1 || ct.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new InvalidManifestException("unsupported manifest format: Docker image manifest schema 1 ("
                    + (ct.isEmpty() ? "no Content-Type" : ct) + ") is deprecated and not supported");
        }
        if (doc.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (doc.has("config") && doc.has("layers")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw new InvalidManifestException("unsupported manifest media type \"" + (ct.isEmpty() ? "(none)" : ct) + "\"");
    }
}
