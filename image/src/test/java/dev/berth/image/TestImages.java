package dev.berth.image;

import dev.berth.oci.image.Compression;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Images made on the spot for tests (DESIGN.md: nothing can be pulled here): a layer with the
 * static /bin/busybox and a bin/sh symlink to it, plus small text layers to make images differ.
 */
public final class TestImages {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private final List<byte[]> layers = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Compression compression = Compression.GZIP;
    private String created = "2024-01-02T03:04:05Z";
    private List<String> cmd = List.of("sh");

    public static TestImages builder() {
        return new TestImages();
    }

    public TestImages busybox() {
        return layer(busyboxLayer());
    }

    public TestImages layer(byte[] tar) {
        layers.add(tar);
        return this;
    }

    /** A layer holding one text file. */
    public TestImages file(String path, String text) {
        return layer(tar(Map.of(path, text)));
    }

    public TestImages compression(Compression c) {
        this.compression = c;
        return this;
    }

    public TestImages created(String time) {
        this.created = time;
        return this;
    }

    public TestImages label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public TestImages cmd(String... argv) {
        this.cmd = List.of(argv);
        return this;
    }

    /** The config's bytes for these layers. */
    public byte[] configBytes() {
        List<String> diffIds = layers.stream().map(l -> Digest.sha256(l).toString()).toList();
        List<ImageConfig.History> history = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            history.add(new ImageConfig.History(created, "test layer " + i, null, null, null));
        }
        ImageConfig config = new ImageConfig(created, null, "amd64", "linux", null, null,
                new ImageConfig.Config(null, null, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                        null, cmd, null, null, labels.isEmpty() ? null : labels, null, null, null, null, null),
                new ImageConfig.RootFs("layers", diffIds), history);
        return json(config);
    }

    /** Stores the layers (compressed as chosen) and puts the image. */
    public Image put(ImageStore store) throws IOException {
        ContentStore content = store.content();
        List<Descriptor> descriptors = new ArrayList<>();
        for (byte[] layer : layers) {
            byte[] blob = compress(layer, compression);
            Digest d = content.put(blob);
            descriptors.add(Descriptor.of(compression.layerMediaType(), d, blob.length));
        }
        byte[] config = configBytes();
        return store.put(manifest(config, descriptors), config, null);
    }

    public static byte[] manifest(byte[] config, List<Descriptor> layers) {
        return json(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length), layers, null, null));
    }

    /** bin/ (dir), bin/busybox (the static busybox, 0755), bin/sh -> busybox. */
    public static byte[] busyboxLayer() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                TarArchiveEntry dir = new TarArchiveEntry("bin/");
                dir.setMode(040755);
                dir.setModTime(0);
                tar.putArchiveEntry(dir);
                tar.closeArchiveEntry();
                byte[] busybox = Files.readAllBytes(BUSYBOX);
                TarArchiveEntry file = new TarArchiveEntry("bin/busybox");
                file.setMode(0100755);
                file.setSize(busybox.length);
                file.setModTime(0);
                tar.putArchiveEntry(file);
                tar.write(busybox);
                tar.closeArchiveEntry();
                TarArchiveEntry sh = new TarArchiveEntry("bin/sh", TarArchiveEntry.LF_SYMLINK);
                sh.setLinkName("busybox");
                sh.setMode(0120777);
                sh.setModTime(0);
                tar.putArchiveEntry(sh);
                tar.closeArchiveEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar of text files. */
    public static byte[] tar(Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                    e.setMode(0100644);
                    e.setSize(data.length);
                    e.setModTime(0);
                    tar.putArchiveEntry(e);
                    tar.write(data);
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] compress(byte[] data, Compression c) {
        try {
            return switch (c) {
                case NONE -> data;
                case GZIP -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(data);
                    }
                    yield out.toByteArray();
                }
                case ZSTD -> com.github.luben.zstd.Zstd.compress(data);
                default -> throw new IllegalArgumentException(c.name());
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] json(Object value) {
        try {
            return ImageJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
