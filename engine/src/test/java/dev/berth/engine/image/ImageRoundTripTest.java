package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.spec.SpecRequest;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.archive.ArchivedImage;
import dev.berth.image.archive.OciLayoutReader;
import dev.berth.image.archive.OciLayoutWriter;
import dev.berth.image.registry.ImagePuller;
import dev.berth.image.registry.ImagePusher;
import dev.berth.image.registry.LayerProgress;
import dev.berth.image.registry.PulledImage;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.Repository;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.Container;
import dev.berth.runtime.CreateRequest;
import dev.berth.storage.LayerStore;
import dev.berth.oci.image.Compression;
import dev.berth.storage.diff.Change;
import dev.berth.storage.diff.Changes;
import dev.berth.storage.diff.DiffResult;
import dev.berth.storage.diff.DiffSource;
import dev.berth.storage.diff.DiffTar;
import dev.berth.storage.snapshot.Mount;
import dev.berth.storage.snapshot.Mounter;
import dev.berth.storage.snapshot.OverlaySnapshotter;
import dev.berth.storage.snapshot.OverlaySupport;
import dev.berth.sys.MountInfo;
import dev.berth.sys.Mounts;
import dev.berth.testkit.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's round trip, end to end on the real kernel, a real registry and our runtime: a busybox
 * directory becomes an OCI layout, is pushed, pulled into a fresh store, unpacked as overlay
 * snapshots, mounted as a container's root and run; a change made inside the container is
 * committed as a new layer, pushed under a new name (the base layer by cross-repository mount),
 * and pulled into a third store, where the merged view shows the change and the base layer is
 * the same. Nothing stays mounted afterwards, and no container is left in the runtime.
 */
@Tag("root")
class ImageRoundTripTest {
    private static final Path HOME = Path.of(System.getProperty("berth.home", "../")).toAbsolutePath().normalize();
    private static final Path SHIM = HOME.resolve("native/target/berth-shim");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path tmp;

    private RegistryServer registry;
    private BerthRuntime runtime;
    private final Deque<Path> mounted = new ArrayDeque<>();
    /** Read-write snapshots made, by the node that holds them: removed at the end. */
    private final List<Map.Entry<Images, String>> readWrite = new ArrayList<>();

    @Test
    void buildPushPullRunCommitPushPull() throws Exception {
        Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "needs root (mounts, containers)");
        Assumptions.assumeTrue(Files.isExecutable(SHIM), SHIM + " is not built (bin/build)");
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        RegistryServer.assumeAvailable();
        assertThat(OverlaySupport.problem(tmp.resolve("overlay-probe"))).as("overlay under " + tmp).isEmpty();

        registry = RegistryServer.start(Files.createDirectories(tmp.resolve("registry")));
        runtime = new BerthRuntime(tmp.resolve("runtime"), SHIM, w -> System.err.println("runtime warning: " + w));
        ImageReference v1 = ImageReference.parse(registry.host() + "/roundtrip/busybox:v1");
        ImageReference v2 = ImageReference.parse(registry.host() + "/roundtrip/committed:v2");

        try (RegistryClient client = RegistryClient.builder().build()) {
            // 1. A directory becomes an image, written out as an OCI layout.
            Path rootfs = busyboxRootfs(tmp.resolve("rootfs"));
            Path layout = tmp.resolve("layout");
            Image built = buildImage(rootfs, layout, v1);
            assertThat(layout.resolve("oci-layout")).exists();
            assertThat(layout.resolve("index.json")).exists();

            // 2. The layout is read into a store and pushed from there.
            ImageStore pushing = newStore(tmp.resolve("pushing"));
            List<ArchivedImage> loaded = new OciLayoutReader(pushing).load(layout, "v1", null);
            assertThat(loaded).hasSize(1);
            Image fromLayout = loaded.getFirst().image();
            assertThat(fromLayout.id()).isEqualTo(built.id());
            Queue<LayerProgress> firstPush = new ConcurrentLinkedQueue<>();
            Digest pushedV1 = new ImagePusher(client, pushing.content()).push(v1,
                    pushing.content().read(fromLayout.manifestDigests().getFirst()), MediaTypes.OCI_MANIFEST, Map.of(),
                    firstPush::add);
            assertThat(pushedV1).isEqualTo(built.manifestDigests().getFirst());
            assertThat(finalPhases(firstPush)).containsExactly(
                    Map.entry(built.layers().getFirst().parsedDigest(), LayerProgress.Phase.PUSHED));

            // 3. Node A: pulled into a fresh store, unpacked as overlay snapshots.
            Images nodeA = new Images(tmp.resolve("a"));
            assertThat(nodeA.layers().snapshotter()).isInstanceOf(OverlaySnapshotter.class);
            Image pulled = pull(client, nodeA, v1);
            assertThat(pulled.id()).isEqualTo(built.id());
            assertThat(pulled.layers()).isEqualTo(built.layers());
            nodeA.unpack(pulled);
            Digest baseChain = pulled.topChainId().orElseThrow();
            assertThat(nodeA.layers().get(baseChain)).isPresent();

            // 4. A container's read-write snapshot, mounted as the bundle's rootfs, run by our runtime.
            String id = "roundtrip-" + ProcessHandle.current().pid();
            Path bundle = Files.createDirectories(tmp.resolve("bundle"));
            Path containerRoot = Files.createDirectories(bundle.resolve("rootfs"));
            mount(nodeA.layers().createReadWrite(id, baseChain), containerRoot);
            readWrite.add(Map.entry(nodeA, id));
            assertThat(mountType(containerRoot)).isEqualTo("overlay");

            int first = run(id + "-1", bundle, pulled, "cat /version > /seen; ls /bin/true >> /seen; exit 3");
            assertThat(first).isEqualTo(3);
            assertThat(Files.readString(containerRoot.resolve("seen"))).isEqualTo("v1\n/bin/true\n");

            // 5. A change inside the container, committed: diff of the upper dir -> layer, config, manifest.
            assertThat(run(id + "-2", bundle, pulled, "echo v2 > /version; rm /bin/true /seen")).isZero();
            assertThat(Files.readString(containerRoot.resolve("version"))).isEqualTo("v2\n");
            assertThat(containerRoot.resolve("bin/true")).doesNotExist();
            assertThat(runtime.list()).isEmpty();
            unmount(containerRoot);

            DiffSource changes = nodeA.layers().snapshotter().diffSource(LayerStore.readWriteKey(id));
            assertThat(Changes.of(changes)).extracting(Change::toString)
                    .containsExactly("C /bin", "D /bin/true", "C /version");
            Image committed = commit(nodeA.store(), pulled, changes, "sh -c echo v2 > /version; rm /bin/true", v2);
            assertThat(committed.diffIds()).hasSize(2).startsWith(pulled.diffIds().getFirst());
            assertThat(committed.layers().getFirst()).isEqualTo(pulled.layers().getFirst());
            assertThat(committed.history()).hasSize(2);

            // The container's writes never reached the image's layer.
            Path check = Files.createDirectories(tmp.resolve("check-a"));
            mount(nodeA.layers().createReadWrite(id + "-check", baseChain), check);
            readWrite.add(Map.entry(nodeA, id + "-check"));
            assertThat(Files.readString(check.resolve("version"))).isEqualTo("v1\n");
            assertThat(Files.exists(check.resolve("bin/true"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(check.resolve("seen")).doesNotExist();
            unmount(check);

            // 6. The commit is pushed under a new name; the base layer is mounted from the first repository.
            Queue<LayerProgress> secondPush = new ConcurrentLinkedQueue<>();
            Digest newLayer = committed.layers().get(1).parsedDigest();
            Digest baseLayer = committed.layers().get(0).parsedDigest();
            Digest pushedV2 = new ImagePusher(client, nodeA.store().content()).push(v2,
                    nodeA.store().content().read(committed.manifestDigests().getFirst()), MediaTypes.OCI_MANIFEST,
                    Map.of(baseLayer, Repository.of(v1)), secondPush::add);
            assertThat(pushedV2).isEqualTo(committed.manifestDigests().getFirst());
            assertThat(finalPhases(secondPush)).containsOnly(
                    Map.entry(baseLayer, LayerProgress.Phase.MOUNTED), Map.entry(newLayer, LayerProgress.Phase.PUSHED));

            // 7. Node B: the new image pulled elsewhere, unpacked, mounted: the change is there, the base is the same.
            Images nodeB = new Images(tmp.resolve("b"));
            Image again = pull(client, nodeB, v2);
            assertThat(again.id()).isEqualTo(committed.id());
            assertThat(again.layers().getFirst()).isEqualTo(pulled.layers().getFirst());
            assertThat(again.diffIds().getFirst()).isEqualTo(pulled.diffIds().getFirst());
            nodeB.unpack(again);
            assertThat(nodeB.layers().get(baseChain)).isPresent(); // the same chain ID: the same base layer content
            Path merged = Files.createDirectories(tmp.resolve("merged-b"));
            mount(nodeB.layers().createReadWrite("verify", again.topChainId().orElseThrow()), merged);
            readWrite.add(Map.entry(nodeB, "verify"));
            assertThat(Files.readString(merged.resolve("version"))).isEqualTo("v2\n");
            assertThat(Files.exists(merged.resolve("bin/true"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.isSymbolicLink(merged.resolve("bin/false"))).isTrue();
            assertThat(merged.resolve("bin/busybox")).isExecutable();
            assertThat(merged.resolve("seen")).doesNotExist();
            unmount(merged);

            // And it runs: the merged view as the container sees it.
            Path bundleB = Files.createDirectories(tmp.resolve("bundle-b"));
            Path rootB = Files.createDirectories(bundleB.resolve("rootfs"));
            mount(nodeB.layers().createReadWrite("run-b", again.topChainId().orElseThrow()), rootB);
            readWrite.add(Map.entry(nodeB, "run-b"));
            assertThat(run(id + "-b", bundleB, again,
                    "test \"$(cat /version)\" = v2 && ! test -e /bin/true && test -x /bin/busybox")).isZero();
            unmount(rootB);
        }
    }

    /** Undoes what the test left: mounts, containers, snapshots, the registry; then no mount of the test may remain. */
    @AfterEach
    void cleanUpAndCheckForLeaks() throws Exception {
        List<String> problems = new ArrayList<>();
        while (!mounted.isEmpty()) {
            Path m = mounted.pop(); // left by a step that failed: undone here, not a leak
            try {
                Mounter.unmount(m);
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (runtime != null) {
            for (Container c : runtime.list()) {
                problems.add("container left in the runtime: " + c.id());
                runtime.delete(c.id(), true);
            }
        }
        for (Map.Entry<Images, String> rw : readWrite) {
            try {
                rw.getKey().layers().removeReadWrite(rw.getValue());
            } catch (IOException | RuntimeException e) {
                problems.add("removing read-write snapshot " + rw.getValue() + ": " + e);
            }
        }
        if (registry != null) {
            registry.close();
            assertThat(registry.isRunning()).isFalse();
        }
        List<String> leaked = mountsUnder(tmp);
        for (String m : leaked) {
            Mounts.unmount(m, Mounts.MNT_DETACH); // so that the @TempDir can go
        }
        assertThat(leaked).as("mounts left under " + tmp).isEmpty();
        assertThat(problems).isEmpty();
    }

    // ---- the steps ------------------------------------------------------------------------------

    /**
     * A busybox root: the static binary, a symlink per applet (as busybox --install -s makes them),
     * /etc/passwd and /etc/group, a /version file, and the directories the runtime mounts over (so
     * that it creates nothing in the container's layer).
     */
    private static Path busyboxRootfs(Path root) throws IOException, InterruptedException {
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "root", "tmp")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list-full").redirectErrorStream(true).start();
        List<String> applets = new String(list.getInputStream().readAllBytes()).lines().toList();
        assertThat(list.waitFor()).isZero();
        for (String applet : applets) {
            Path link = root.resolve(applet);
            if (applet.equals("bin/busybox") || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
        }
        assertThat(root.resolve("bin/true")).isSymbolicLink();
        assertThat(root.resolve("bin/sh")).isSymbolicLink();
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(root.resolve("version"), "v1\n");
        return root;
    }

    /** The directory as one gzip layer (a diff against nothing), a config and a manifest, written as an OCI layout. */
    private Image buildImage(Path rootfs, Path layout, ImageReference name) throws IOException {
        ImageStore store = newStore(tmp.resolve("build"));
        Path blob = tmp.resolve("base-layer.tar.gz");
        DiffResult layer;
        try (OutputStream out = Files.newOutputStream(blob)) {
            layer = DiffTar.write(new DiffSource.TwoTrees(null, rootfs), out, Compression.GZIP);
        }
        try (InputStream in = Files.newInputStream(blob)) {
            assertThat(store.content().put(in)).isEqualTo(layer.digest());
        }
        Files.delete(blob);
        Platform platform = Platform.host();
        String created = "2025-01-02T03:04:05Z";
        ImageConfig config = new ImageConfig(created, null, platform.architecture(), platform.os(), null, platform.variant(),
                new ImageConfig.Config(null, null, List.of(PATH_ENV), null, List.of("sh"), null, null,
                        Map.of("org.example.test", "round-trip"), null, null, null, null, null),
                new ImageConfig.RootFs("layers", List.of(layer.diffId().toString())),
                List.of(new ImageConfig.History(created, "berth test: a busybox directory", null, null, null)));
        byte[] configBytes = ImageJson.MAPPER.writeValueAsBytes(config);
        Image image = store.put(manifest(configBytes, List.of(Descriptor.of(layer.mediaType(), layer.digest(), layer.blobSize()))),
                configBytes, platform);
        store.tag(name, image.id());
        new OciLayoutWriter(store.content()).write(layout, List.of(new ArchivedImage(image, List.of(name))));
        return image;
    }

    private static byte[] manifest(byte[] config, List<Descriptor> layers) throws IOException {
        return ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length), layers, null, null));
    }

    private static ImageStore newStore(Path dir) throws IOException {
        return new ImageStore(dir.resolve("images"), new ContentStore(dir.resolve("content")));
    }

    /** Pulls into the node's content store, then records the image and its name. */
    private static Image pull(RegistryClient client, Images node, ImageReference ref) throws IOException {
        ImageStore store = node.store();
        Queue<LayerProgress> progress = new ConcurrentLinkedQueue<>();
        PulledImage p = new ImagePuller(client, store.content()).pull(ref, Platform.host(), progress::add);
        assertThat(finalPhases(progress).values()).isNotEmpty().containsOnly(LayerProgress.Phase.DOWNLOADED);
        Image image = store.put(p.manifestBytes(), p.configBytes(), Platform.host());
        store.tag(ref, image.id());
        store.addRepoDigest(ref.nameOnly().withDigest(p.digest()), image.id());
        return store.resolve(ref.toString());
    }

    /** docker commit: the snapshot's changes as a gzip layer on top of the image, with a history entry. */
    private Image commit(ImageStore store, Image parent, DiffSource changes, String createdBy, ImageReference name)
            throws IOException {
        Path blob = tmp.resolve("commit-layer.tar.gz");
        DiffResult layer;
        try (OutputStream out = Files.newOutputStream(blob)) {
            layer = DiffTar.write(changes, out, Compression.GZIP);
        }
        try (InputStream in = Files.newInputStream(blob)) {
            assertThat(store.content().put(in)).isEqualTo(layer.digest());
        }
        Files.delete(blob);
        ImageConfig old = parent.config();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> diffIds = new ArrayList<>(old.rootfs().diffIds());
        diffIds.add(layer.diffId().toString());
        List<ImageConfig.History> history = new ArrayList<>(parent.history());
        history.add(new ImageConfig.History(now, createdBy, null, "berth round-trip test", null));
        ImageConfig config = new ImageConfig(now, old.author(), old.architecture(), old.os(), old.osVersion(), old.variant(),
                old.config(), new ImageConfig.RootFs("layers", diffIds), history);
        byte[] configBytes = ImageJson.MAPPER.writeValueAsBytes(config);
        List<Descriptor> layers = new ArrayList<>(parent.layers());
        layers.add(Descriptor.of(layer.mediaType(), layer.digest(), layer.blobSize()));
        Image image = store.put(manifest(configBytes, layers), configBytes, parent.platform());
        store.tag(name, image.id());
        return image;
    }

    /** config.json from docker's rules (SpecGenerator) for {@code sh -c script}, then a foreground run. */
    private int run(String id, Path bundle, Image image, String script) throws IOException, InterruptedException {
        ContainerConfig cfg = Json.parse("{\"Cmd\":" + Json.write(List.of("sh", "-c", script)) + "}", ContainerConfig.class);
        HostConfig host = Json.parse("{}", HostConfig.class);
        Spec spec = SpecGenerator.generate(new SpecRequest(id, cfg, host, image.config(), bundle.resolve("rootfs"), null,
                List.of(), Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")), "/" + id));
        Files.writeString(bundle.resolve("config.json"), Json.write(spec));
        return runtime.run(new CreateRequest(id, bundle, null, null, false, 0, false));
    }

    /** The layer each digest ended in (the last terminal phase reported for it). */
    private static Map<Digest, LayerProgress.Phase> finalPhases(Queue<LayerProgress> progress) {
        Map<Digest, LayerProgress.Phase> last = new LinkedHashMap<>();
        for (LayerProgress p : progress) {
            if (p.phase().terminal()) {
                last.put(p.digest(), p.phase());
            }
        }
        return last;
    }

    // ---- mounts ---------------------------------------------------------------------------------

    private void mount(List<Mount> mounts, Path target) throws IOException {
        Mounter.mount(mounts, target);
        mounted.push(target);
    }

    private void unmount(Path target) throws IOException {
        Mounter.unmount(target);
        mounted.remove(target);
    }

    /** The filesystem type mounted at exactly {@code point}, from /proc/self/mountinfo. */
    private static String mountType(Path point) throws IOException {
        String found = null;
        for (MountInfo m : MountInfo.self()) {
            if (m.mountPoint().equals(point.toString())) {
                found = m.fsType(); // the last mount on a point is the one seen
            }
        }
        return found;
    }

    /** Mount points at or under {@code root}, deepest first. */
    private static List<String> mountsUnder(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        String prefix = root.toAbsolutePath().toString();
        for (MountInfo m : MountInfo.self()) {
            String point = m.mountPoint();
            if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                found.add(point);
            }
        }
        found.sort((a, b) -> b.length() - a.length());
        return found;
    }
}
