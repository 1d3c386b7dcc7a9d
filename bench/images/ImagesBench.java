/*
 * ImagesBench: the Java side of bench/images.sh, on the jars `berth daemon` runs
 * (api/target/lib). The script compiles it once with javac and runs the class, so that a
 * fresh-JVM run pays for no source compilation:
 *
 *   java -cp "api/target/lib/*:CLASSES" --enable-native-access=ALL-UNNAMED ImagesBench COMMAND ...
 *
 * Commands:
 *   make-image  --ref HOST/REPO:TAG --layers 3 --layer-mb 50 --work DIR
 *       builds an image (a busybox layer, then LAYERS layers of LAYER-MB of random bytes in 8
 *       files each, gzip level 1: incompressible, as media and binaries are) in a content store
 *       under DIR and pushes it with ImagePusher. Prints the layer sizes.
 *   pull        --ref HOST/REPO:TAG --dir DIR [--runs 7] [--warmup 1]
 *       WARMUP + RUNS pulls with ImagePuller, each with a new RegistryClient into a new, empty
 *       ContentStore under DIR (removed and synced between runs, outside the clock). Prints each
 *       run, then "RESULT <median ms> <mean ms> <min ms> <MB pulled>".
 *       With --peer CMD --peer-out DIR2, `bash -c CMD` (say skopeo copy into DIR2) runs after each
 *       of ours, from an empty DIR2, and "PEER <median ms> <mean ms> <min ms>" follows: the two
 *       alternate run by run, so a busy machine weighs on both alike. The same for unpack.
 *   make-layer  --out FILE [--mb 150]
 *       one gzip layer (default level) of about MB uncompressed, from a fixed seed: 4,000 small
 *       text-like files (1-32 KiB, ~70 MB, compressing about 1.5:1, like code and configuration),
 *       4 large random files (20 MB each: binaries and media), 500 symlinks, their directories.
 *   unpack      --blob FILE --dir DIR [--runs 5] [--warmup 1]
 *       WARMUP + RUNS LayerUnpacker.unpack of the blob into a new directory under DIR (overlay
 *       whiteouts, no lower layers: a base layer as LayerStore.register unpacks it; includes the
 *       syncfs LayerUnpacker does before its rename). Prints each run, then
 *       "RESULT <median ms> <mean ms> <min ms> <uncompressed MB> <first run ms>".
 *       With --keep true, each run's tree (and the peer's) stays, for the caller to remove after
 *       the measurements; runs are only synced between: on ext4, an inode freed less than 60 s ago is skipped by the
 *       allocator one by one (fs/ext4/ialloc.c, recently_deleted()), so a run right after an
 *       rm -rf of 4,000 files pays for scanning past them on every create.
 */

import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.registry.ImagePuller;
import dev.berth.image.registry.ImagePusher;
import dev.berth.image.registry.ProgressListener;
import dev.berth.image.registry.PulledImage;
import dev.berth.image.registry.RegistryClient;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.storage.archive.ApplyOptions;
import dev.berth.storage.archive.ApplyResult;
import dev.berth.storage.archive.LayerUnpacker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

public class ImagesBench {
    private static final double MB = 1_000_000.0;

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: ImagesBench make-image|pull|make-layer|unpack --flag value ...");
        }
        Map<String, String> a = parse(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "make-image" -> makeImage(a);
            case "pull" -> pull(a);
            case "make-layer" -> makeLayer(a);
            case "unpack" -> unpack(a);
            default -> throw new IllegalArgumentException("unknown command " + argv[0]);
        }
    }

    // ---- pull -----------------------------------------------------------------------------------

    private static void makeImage(Map<String, String> a) throws IOException {
        ImageReference ref = ImageReference.parse(required(a, "ref"));
        int layers = Integer.parseInt(a.getOrDefault("layers", "3"));
        int layerMb = Integer.parseInt(a.getOrDefault("layer-mb", "50"));
        Path work = Path.of(required(a, "work"));
        ImageStore store = new ImageStore(work.resolve("images"), new ContentStore(work.resolve("content")));
        Random random = new Random(42);
        List<Descriptor> descriptors = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i <= layers; i++) {
            Path tar = work.resolve("layer-" + i + ".tar");
            try (TarArchiveOutputStream out = tarTo(Files.newOutputStream(tar))) {
                if (i == 0) {
                    file(out, "bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755);
                    symlink(out, "bin/sh", "busybox");
                } else {
                    dir(out, "data" + i + "/");
                    byte[] chunk = new byte[layerMb * 1_000_000 / 8];
                    for (int f = 0; f < 8; f++) {
                        random.nextBytes(chunk);
                        file(out, "data" + i + "/blob" + f + ".bin", chunk, 0644);
                    }
                }
            }
            diffIds.add(Digest.sha256(Files.readAllBytes(tar)).toString());
            Path gz = work.resolve("layer-" + i + ".tar.gz");
            try (InputStream in = Files.newInputStream(tar); OutputStream out = new FastGzip(Files.newOutputStream(gz))) {
                in.transferTo(out);
            }
            Files.delete(tar);
            Digest d;
            try (InputStream in = Files.newInputStream(gz)) {
                d = store.content().put(in);
            }
            descriptors.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, Files.size(gz)));
            System.out.printf("layer %d: %s, %.1f MB gzip%n", i, d.encoded().substring(0, 12), Files.size(gz) / MB);
            Files.delete(gz);
        }
        Platform platform = Platform.host();
        ImageConfig config = new ImageConfig("2025-01-01T00:00:00Z", null, platform.architecture(), platform.os(), null,
                platform.variant(), new ImageConfig.Config(null, null, null, null, List.of("sh"), null, null, null, null,
                        null, null, null, null),
                new ImageConfig.RootFs("layers", diffIds), null);
        byte[] configBytes = ImageJson.MAPPER.writeValueAsBytes(config);
        byte[] manifest = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length), descriptors, null, null));
        Image image = store.put(manifest, configBytes, platform);
        try (RegistryClient client = RegistryClient.builder().build()) {
            Digest pushed = new ImagePusher(client, store.content()).push(ref, manifest, MediaTypes.OCI_MANIFEST, Map.of(),
                    ProgressListener.none());
            System.out.printf("pushed %s: %s, %d layers, %.1f MB%n", ref, pushed, descriptors.size(), image.contentSize() / MB);
        }
    }

    private static void pull(Map<String, String> a) throws Exception {
        ImageReference ref = ImageReference.parse(required(a, "ref"));
        Path dir = Path.of(required(a, "dir"));
        int runs = Integer.parseInt(a.getOrDefault("runs", "7"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "1"));
        List<Double> times = new ArrayList<>();
        Peer peer = Peer.of(a);
        double mb = 0;
        for (int i = 0; i < warmup + runs; i++) {
            Path store = dir.resolve("pull-" + i);
            long t0 = System.nanoTime();
            PulledImage p;
            try (RegistryClient client = RegistryClient.builder().build()) {
                p = new ImagePuller(client, new ContentStore(store)).pull(ref, Platform.host(), ProgressListener.none());
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            mb = (p.config().size() + p.layers().stream().mapToLong(Descriptor::size).sum()) / MB;
            boolean counted = i >= warmup;
            System.out.printf("pull %d%s: %.1f ms, %.1f MB, %.1f MB/s%n", i, counted ? "" : " (warm-up)", ms, mb, mb / ms * 1000);
            if (counted) {
                times.add(ms);
            }
            removeAndSync(store);
            peer.runAfter(counted);
        }
        Stats s = Stats.of(times);
        System.out.printf("RESULT %.1f %.1f %.1f %.1f%n", s.median, s.mean, s.min, mb);
        peer.report();
    }

    // ---- unpack ---------------------------------------------------------------------------------

    private static void makeLayer(Map<String, String> a) throws IOException {
        Path out = Path.of(required(a, "out"));
        long target = Long.parseLong(a.getOrDefault("mb", "150")) * 1_000_000L;
        Random random = new Random(7);
        long bytes = 0;
        int files = 0;
        int dirs = 0;
        int links = 0;
        try (TarArchiveOutputStream tar = tarTo(new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16), 1 << 16))) {
            dir(tar, "usr/");
            dir(tar, "usr/share/");
            dir(tar, "usr/lib/");
            dirs += 3;
            int big = 4;
            long bigSize = 20_000_000;
            long smallBudget = target - big * bigSize;
            for (int d = 0; bytes < smallBudget; d++) {
                String dirName = "usr/share/pkg" + d + "/";
                dir(tar, dirName);
                dirs++;
                for (int f = 0; f < 40 && bytes < smallBudget; f++) {
                    byte[] data = textLike(random, 1024 + random.nextInt(31 * 1024));
                    file(tar, dirName + "file" + f + ".txt", data, f % 10 == 0 ? 0755 : 0644);
                    bytes += data.length;
                    files++;
                    if (f % 8 == 0) {
                        symlink(tar, dirName + "link" + f, "file" + f + ".txt");
                        links++;
                    }
                }
            }
            for (int b = 0; b < big; b++) {
                byte[] data = new byte[(int) bigSize];
                random.nextBytes(data);
                file(tar, "usr/lib/big" + b + ".bin", data, 0644);
                bytes += data.length;
                files++;
            }
        }
        System.out.printf("layer %s: %d files (%.1f MB of file data), %d directories, %d symlinks; %.1f MB gzip%n",
                out, files, bytes / MB, dirs, links, Files.size(out) / MB);
    }

    /** Lines of lowercase words: compresses about as well as source code and configuration. */
    private static byte[] textLike(Random random, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int r = random.nextInt(64);
            b[i] = (byte) (r < 50 ? 'a' + r % 26 : r < 60 ? ' ' : r < 62 ? '\n' : '0' + r % 10);
        }
        return b;
    }

    private static void unpack(Map<String, String> a) throws Exception {
        Path blob = Path.of(required(a, "blob"));
        Path dir = Path.of(required(a, "dir"));
        int runs = Integer.parseInt(a.getOrDefault("runs", "5"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "1"));
        List<Double> times = new ArrayList<>();
        Peer peer = Peer.of(a);
        boolean keep = a.containsKey("keep");
        double first = 0;
        double mb = 0;
        for (int i = 0; i < warmup + runs; i++) {
            Path target = dir.resolve("unpack-" + i);
            long t0 = System.nanoTime();
            ApplyResult r;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 16)) {
                r = LayerUnpacker.unpack(in, null, target, ApplyOptions.overlay(List.of()));
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            mb = r.size() / MB;
            if (i == 0) {
                first = ms;
            }
            boolean counted = i >= warmup;
            System.out.printf("unpack %d%s: %.1f ms, %.1f MB uncompressed, %.1f MB/s%n", i, counted ? "" : " (warm-up)",
                    ms, mb, mb / ms * 1000);
            if (counted) {
                times.add(ms);
            }
            if (keep) {
                sync();
            } else {
                removeAndSync(target);
            }
            peer.runAfter(counted);
        }
        Stats s = Stats.of(times);
        System.out.printf("RESULT %.1f %.1f %.1f %.1f %.1f%n", s.median, s.mean, s.min, mb, first);
        peer.report();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * The peer, run after each of our runs when --peer is given: `bash -c PEER`, timed from this
     * JVM (including bash's start, a few ms), from an empty --peer-out (removed and synced before
     * and after, outside the clock). Ours and the peer then alternate run by run and share
     * whatever else the machine is doing; a peer run after a warm-up of ours is a warm-up too.
     */
    private record Peer(String command, Path out, boolean keep, List<Double> times, java.util.concurrent.atomic.AtomicInteger runs) {
        static Peer of(Map<String, String> a) {
            String cmd = a.get("peer");
            return new Peer(cmd, cmd == null ? null : Path.of(required(a, "peer-out")), a.containsKey("keep"),
                    new ArrayList<>(), new java.util.concurrent.atomic.AtomicInteger());
        }

        /** Runs the peer once; "{}" in its command is replaced by this run's output directory. */
        void runAfter(boolean counted) throws IOException, InterruptedException {
            if (command == null) {
                return;
            }
            Path dir = out.resolve("run-" + runs.getAndIncrement());
            removeAndSync(dir);
            Files.createDirectories(out);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-c", command.replace("{}", dir.toString())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("peer failed with " + p.exitValue() + ": " + command);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("peer%s: %.1f ms%n", counted ? "" : " (warm-up)", ms);
            if (counted) {
                times.add(ms);
            }
            if (keep) {
                sync();
            } else {
                removeAndSync(dir);
            }
        }


        /** "PEER <median ms> <mean ms> <min ms>", when there was a peer. */
        void report() {
            if (command != null) {
                Stats s = Stats.of(times);
                System.out.printf("PEER %.1f %.1f %.1f%n", s.median, s.mean, s.min);
            }
        }
    }

    private static void sync() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("sync failed with " + p.exitValue());
        }
    }

    /** rm -rf, then sync: each run starts with nothing of the previous one left to write back. */
    private static void removeAndSync(Path dir) throws IOException, InterruptedException {
        for (List<String> cmd : List.of(List.of("rm", "-rf", "--", dir.toString()), List.of("sync"))) {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(cmd + " failed with " + p.exitValue());
            }
        }
    }

    private static TarArchiveOutputStream tarTo(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(data.length);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** gzip at level 1: random data does not compress, so spend no time trying. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(new BufferedOutputStream(out, 1 << 16), 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    record Stats(double median, double mean, double min) {
        static Stats of(List<Double> xs) {
            if (xs.isEmpty()) {
                return new Stats(0, 0, 0);
            }
            List<Double> s = xs.stream().sorted().toList();
            int n = s.size();
            double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
            return new Stats(median, s.stream().mapToDouble(Double::doubleValue).average().orElse(0), s.getFirst());
        }
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --flag value, got " + argv[i]);
            }
            m.put(argv[i].substring(2), argv[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
