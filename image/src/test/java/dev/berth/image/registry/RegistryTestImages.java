package dev.berth.image.registry;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Test images made on the spot (nothing can be pulled from the internet here): a layer holding
 * {@code bin/busybox} from busybox-static, or layers of random bytes, plus an OCI config and
 * manifest, all put into a {@link ContentStore} the way a pulled image would be.
 */
public final class RegistryTestImages {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    /** An image in a store: the manifest's bytes and digest, and its blobs' descriptors. */
    public record TestImage(byte[] manifestBytes, String mediaType, Digest digest, Descriptor config,
                            List<Descriptor> layers, Platform platform) {
        public Descriptor descriptor() {
            Descriptor d = Descriptor.of(mediaType, digest, manifestBytes.length);
            return new Descriptor(d.mediaType(), d.digest(), d.size(), null, null, platform, null, null);
        }
    }

    /** An index (in the store) over some images. */
    public record TestIndex(byte[] bytes, String mediaType, Digest digest, List<TestImage> images) {}

    /** A layer's compressed bytes and the digest of its uncompressed tar (its diffID). */
    public record Layer(byte[] blob, String mediaType, Digest diffId) {}

    private static Layer busyboxLayer;

    private RegistryTestImages() {}

    /** tar+gzip of bin/ and bin/busybox (mode 0755), built once per JVM. */
    public static synchronized Layer busyboxLayer() throws IOException {
        if (busyboxLayer == null) {
            busyboxLayer = tarGz(Map.of("bin/busybox", Files.readAllBytes(BUSYBOX)));
        }
        return busyboxLayer;
    }

    /** An uncompressed tar layer holding one file of {@code size} random bytes (seeded: reproducible). */
    public static Layer randomLayer(String name, int size, long seed) throws IOException {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        byte[] tar = tar(Map.of(name, content));
        return new Layer(tar, MediaTypes.OCI_LAYER, Digest.sha256(tar));
    }

    /** The busybox image for a platform (the config names it; the layer is the host's busybox either way). */
    public static TestImage busybox(ContentStore store, Platform platform) throws IOException {
        return image(store, platform, List.of(busyboxLayer()), "busybox");
    }

    /** An OCI image of these layers, with its config, manifest and layers stored. */
    public static TestImage image(ContentStore store, Platform platform, List<Layer> layers, String label) throws IOException {
        List<Descriptor> layerDescriptors = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Layer l : layers) {
            Digest d = store.put(l.blob());
            layerDescriptors.add(Descriptor.of(l.mediaType(), d, l.blob().length));
            diffIds.add(l.diffId().toString());
        }
        ImageConfig config = new ImageConfig("2024-01-01T00:00:00Z", null, platform.architecture(), platform.os(), null,
                platform.variant(),
                new ImageConfig.Config(null, null, List.of("PATH=/bin"), null, List.of("/bin/busybox", "sh"), null, null,
                        Map.of("berth.test", label), null, null, null, null, null),
                new ImageConfig.RootFs("layers", diffIds),
                List.of(new ImageConfig.History("2024-01-01T00:00:00Z", "berth test image " + label, null, null, null)));
        byte[] configBytes = RegistryJson.mapper().writeValueAsBytes(config);
        Digest configDigest = store.put(configBytes);
        Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
        Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, null, configDescriptor, layerDescriptors, null, null);
        byte[] manifestBytes = RegistryJson.mapper().writeValueAsBytes(manifest);
        Digest digest = store.put(manifestBytes);
        return new TestImage(manifestBytes, MediaTypes.OCI_MANIFEST, digest, configDescriptor, layerDescriptors, platform);
    }

    /** An OCI index over images already in the store. */
    public static TestIndex index(ContentStore store, List<TestImage> images) throws IOException {
        ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, null,
                images.stream().map(TestImage::descriptor).toList(), null, null);
        byte[] bytes = RegistryJson.mapper().writeValueAsBytes(index);
        return new TestIndex(bytes, MediaTypes.OCI_INDEX, store.put(bytes), images);
    }

    static Layer tarGz(Map<String, byte[]> files) throws IOException {
        byte[] tar = tar(files);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        return new Layer(gz.toByteArray(), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(tar));
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<String> dirs = new ArrayList<>();
            for (String name : files.keySet().stream().sorted().toList()) {
                int slash = name.lastIndexOf('/');
                String dir = slash > 0 ? name.substring(0, slash + 1) : null;
                if (dir != null && !dirs.contains(dir)) {
                    dirs.add(dir);
                    TarArchiveEntry d = new TarArchiveEntry(dir);
                    d.setMode(040755);
                    d.setModTime(0);
                    tar.putArchiveEntry(d);
                    tar.closeArchiveEntry();
                }
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setMode(0100755);
                e.setSize(files.get(name).length);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(files.get(name));
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
