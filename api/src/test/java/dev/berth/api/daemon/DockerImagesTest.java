package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.RegistryServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image commands of the real docker CLI against `berth daemon` (root, real kernel, Debian's
 * docker-registry): tag, push, pull, login, rmi and its conflicts, history, save and load into a
 * second daemon, image prune, commit with --change, diff and export. Each test makes the images
 * it changes under names of its own, so the tests do not depend on one another.
 */
@Tag("root")
class DockerImagesTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonWithBusybox() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    private static DaemonProcess.Result ok(DaemonProcess d, String... args) throws Exception {
        DaemonProcess.Result r = d.docker(args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    @Test
    void tagPushRemovePullAndRun() throws Exception {
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry-push"))) {
            String name = registry.host() + "/berth/busybox:v1";
            ok(daemon, "tag", "busybox:latest", name);
            assertThat(ok(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(name);

            DaemonProcess.Result push = ok(daemon, "push", name);
            assertThat(push.out()).contains("The push refers to repository [" + registry.host() + "/berth/busybox]")
                    .contains("Pushed").containsPattern("v1: digest: sha256:[0-9a-f]{64} size: \\d+");
            assertThat(ok(daemon, "push", name).out()).contains("Layer already exists");
            ok(daemon, "tag", "busybox:latest", registry.host() + "/berth/busybox:v2");
            assertThat(ok(daemon, "push", "--all-tags", registry.host() + "/berth/busybox").out())
                    .containsPattern("v1: digest: sha256:").containsPattern("v2: digest: sha256:");
            ok(daemon, "rmi", registry.host() + "/berth/busybox:v2");
            // The API's own lines, which clients such as docker-py read: progressDetail and the final aux.
            String api = curl("-X", "POST", "-H", "X-Registry-Auth: e30=",
                    "http://d/v1.47/images/" + registry.host() + "/berth/busybox/push?tag=v1");
            assertThat(api).contains("{\"status\":\"The push refers to repository [" + registry.host() + "/berth/busybox]\"")
                    .containsPattern("\\{\"progressDetail\":\\{},\"aux\":\\{\"Tag\":\"v1\",\"Digest\":\"sha256:[0-9a-f]{64}\",\"Size\":\\d+}}");
            // Another repository of the same registry: the layer is mounted, not sent again.
            String other = registry.host() + "/berth/other:v1";
            ok(daemon, "tag", name, other);
            assertThat(ok(daemon, "push", other).out()).contains("Mounted from berth/busybox");
            assertThat(ok(daemon, "image", "inspect", "--format", "{{json .RepoDigests}}", name).out())
                    .contains(registry.host() + "/berth/busybox@sha256:");

            DaemonProcess.Result rmi = ok(daemon, "rmi", name, other);
            assertThat(rmi.out()).contains("Untagged: " + name).contains("Untagged: " + other).doesNotContain("Deleted");
            assertThat(daemon.docker("image", "inspect", name).exit()).isNotZero();

            DaemonProcess.Result pull = ok(daemon, "pull", name);
            assertThat(pull.out()).contains("Status: Downloaded newer image for " + name);
            assertThat(output(daemon, name, "cat", "/etc/group")).contains("root:x:0:");
            ok(daemon, "rmi", name);
        }
    }

    @Test
    void pushAndPullWithBasicAuthAfterLogin() throws Exception {
        try (RegistryServer registry = RegistryServer.startWithBasicAuth(tmp.resolve("registry-auth"), "berth", "s3cret")) {
            String name = registry.host() + "/private/busybox:1";
            ok(daemon, "tag", "busybox:latest", name);
            DaemonProcess.Result anonymous = daemon.docker("push", name);
            assertThat(anonymous.exit()).as(anonymous.out()).isNotZero();

            DaemonProcess.Result wrong = daemon.docker("login", registry.host(), "-u", "berth", "-p", "wrong");
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.err()).contains("401");
            assertThat(ok(daemon, "login", registry.host(), "-u", "berth", "-p", "s3cret").out()).contains("Login Succeeded");

            assertThat(ok(daemon, "push", name).out()).containsPattern("1: digest: sha256:[0-9a-f]{64}");
            ok(daemon, "rmi", name);
            ok(daemon, "pull", name);
            assertThat(output(daemon, name, "echo", "authenticated")).isEqualTo("authenticated\n");
            ok(daemon, "rmi", name);
            ok(daemon, "logout", registry.host());
        }
    }

    @Test
    void removingAnImageAContainerUsesIsDockersConflict() throws Exception {
        String image = committed("inuse-src", "inuse:1");
        String container = ok(daemon, "create", "--name", "inuse-user", "inuse:1", "true").out().trim();
        String imageId = ok(daemon, "image", "inspect", "--format", "{{.Id}}", "inuse:1").out().trim();
        assertThat(imageId).isEqualTo(image);

        DaemonProcess.Result refused = daemon.docker("rmi", "inuse:1");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("conflict: unable to remove repository reference \"inuse:1\" (must force) - container "
                + container.substring(0, 12) + " is using its referenced image " + imageId.substring(7, 19));

        // Forced, the name goes and the image stays for its container (dangling).
        assertThat(ok(daemon, "rmi", "-f", "inuse:1").out()).contains("Untagged: inuse:1").doesNotContain("Deleted");
        assertThat(ok(daemon, "images", "-q", "--no-trunc", "--filter", "dangling=true").out()).contains(imageId);
        ok(daemon, "start", "-a", "inuse-user");

        DaemonProcess.Result byId = daemon.docker("rmi", imageId);
        assertThat(byId.err()).contains("conflict: unable to delete " + imageId.substring(7, 19)
                + " (must be forced) - image is being used by stopped container " + container.substring(0, 12));
        ok(daemon, "rm", "inuse-user");
        assertThat(ok(daemon, "rmi", imageId).out()).contains("Deleted: " + imageId);
        assertThat(daemon.docker("image", "inspect", imageId).exit()).isNotZero();
        assertThat(ok(daemon, "run", "--rm", "busybox", "true").exit()).isZero(); // the shared base layer stayed
    }

    @Test
    void historyListsTheCommitOverItsBase() throws Exception {
        String id = committed("history-src", "history:1");
        String rows = ok(daemon, "history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", "history:1").out();
        List<String> lines = rows.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(id + "|").contains("echo hello > /hello").endsWith("|made by a test");
        assertThat(lines.get(1)).startsWith("<missing>|");
    }

    @Test
    void saveAndLoadIntoASecondDaemon() throws Exception {
        String id = committed("save-src", "saved:1");
        Path archive = tmp.resolve("saved.tar");
        ok(daemon, "save", "-o", archive.toString(), "saved:1", "busybox:latest");
        try (DaemonProcess second = DaemonProcess.start(tmp.resolve("d2"))) {
            DaemonProcess.Result load = ok(second, "load", "-i", archive.toString());
            assertThat(load.out()).contains("Loaded image: saved:1").contains("Loaded image: busybox:latest");
            assertThat(ok(second, "image", "inspect", "--format", "{{.Id}}", "saved:1").out().trim()).isEqualTo(id);
            assertThat(output(second, "saved:1", "cat", "/hello")).isEqualTo("hello\n");

            // prune -a: every image no container uses goes (busybox), the one a container uses stays,
            // and so does the base layer it shares with the one that went.
            String busyboxId = ok(second, "image", "inspect", "--format", "{{.Id}}", "busybox:latest").out().trim();
            ok(second, "create", "--name", "keeper", "saved:1", "cat", "/hello");
            DaemonProcess.Result prune = ok(second, "image", "prune", "-a", "-f");
            assertThat(prune.out()).contains("untagged: busybox:latest").contains("deleted: " + busyboxId).doesNotContain(id);
            ok(second, "start", "keeper");
            ok(second, "wait", "keeper");
            assertThat(ok(second, "logs", "keeper").out()).isEqualTo("hello\n");
            assertThat(output(second, "saved:1", "cat", "/etc/passwd")).contains("root:x:0:0");
            ok(second, "rm", "keeper");
            second.stop();
        }
    }

    @Test
    void pruneRemovesDanglingImagesOnly() throws Exception {
        ok(daemon, "run", "--name", "prune-src", "busybox", "sh", "-c", "echo dangling > /d");
        String dangling = ok(daemon, "commit", "prune-src").out().trim();
        ok(daemon, "rm", "prune-src");
        assertThat(ok(daemon, "images", "-q", "--no-trunc", "--filter", "dangling=true").out()).contains(dangling);
        assertThat(ok(daemon, "images", "-q", "--no-trunc", "--filter", "reference=busybox").out()).doesNotContain(dangling);
        String busyboxId = ok(daemon, "image", "inspect", "--format", "{{.Id}}", "busybox:latest").out().trim();
        assertThat(ok(daemon, "images", "-q", "--no-trunc", "--filter", "since=busybox:latest").out())
                .contains(dangling).doesNotContain(busyboxId);
        assertThat(ok(daemon, "images", "-q", "--no-trunc", "--filter", "before=" + dangling).out())
                .contains(busyboxId).doesNotContain(dangling);
        DaemonProcess.Result badFilter = daemon.docker("images", "--filter", "colour=blue");
        assertThat(badFilter.err()).contains("invalid filter 'colour'");

        DaemonProcess.Result prune = ok(daemon, "image", "prune", "-f");
        assertThat(prune.out()).contains("deleted: " + dangling).contains("Total reclaimed space");
        assertThat(daemon.docker("image", "inspect", dangling).exit()).isNotZero();
        assertThat(ok(daemon, "image", "inspect", "busybox:latest").exit()).isZero();
    }

    @Test
    void commitDiffAndExportShowTheContainersWrites() throws Exception {
        ok(daemon, "run", "--name", "writer", "busybox", "sh", "-c",
                "echo hello > /hello; busybox rm /etc/group; echo extra >> /etc/passwd");
        List<String> diff = ok(daemon, "diff", "writer").out().lines().toList();
        assertThat(diff).contains("A /hello", "C /etc", "D /etc/group", "C /etc/passwd");

        String id = ok(daemon, "commit", "--change", "CMD [\"cat\",\"/hello\"]", "--change", "ENV GREETING=hi",
                "--change", "WORKDIR /tmp", "--change", "LABEL made.by=berth", "writer", "committed:1").out().trim();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(output(daemon, "committed:1")).isEqualTo("hello\n");
        assertThat(output(daemon, "committed:1", "sh", "-c", "echo $GREETING $(pwd); test -e /etc/group || echo gone"))
                .isEqualTo("hi /tmp\ngone\n");
        assertThat(ok(daemon, "image", "inspect", "--format", "{{json .Config.Cmd}} {{index .Config.Labels \"made.by\"}}",
                "committed:1").out().trim()).isEqualTo("[\"cat\",\"/hello\"] berth");
        assertThat(ok(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "label=made.by=berth").out())
                .isEqualTo("committed:1\n");
        DaemonProcess.Result badChange = daemon.docker("commit", "--change", "RUN true", "writer", "bad:1");
        assertThat(badChange.exit()).isNotZero();
        assertThat(badChange.err()).contains("not a valid change command");
        assertThat(daemon.docker("image", "inspect", "bad:1").exit()).isNotZero();

        Path exported = tmp.resolve("writer.tar");
        ok(daemon, "export", "-o", exported.toString(), "writer");
        Map<String, String> files = tarTextFiles(exported);
        assertThat(files).containsEntry("hello", "hello\n").doesNotContainKey("etc/group");
        assertThat(files.get("etc/passwd")).endsWith("extra\n");
        ok(daemon, "rm", "writer");

        // The export imports back as a one-layer image, with its changes.
        String imported = ok(daemon, "import", "--change", "CMD [\"cat\",\"/hello\"]", "-m", "round trip",
                exported.toString(), "imported:1").out().trim();
        assertThat(imported).matches("sha256:[0-9a-f]{64}");
        assertThat(output(daemon, "imported:1")).isEqualTo("hello\n");
        assertThat(ok(daemon, "history", "--format", "{{.Comment}}", "imported:1").out().trim()).isEqualTo("round trip");
        Path notTar = Files.writeString(tmp.resolve("not.tar"), "this is not a tar archive, not even close to one".repeat(20));
        DaemonProcess.Result bad = daemon.docker("import", notTar.toString(), "bad-import:1");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("not a tar archive");
        assertThat(daemon.docker("image", "inspect", "bad-import:1").exit()).isNotZero();
    }

    /**
     * The engine's mount points (/etc/hosts, /etc/hostname, /etc/resolv.conf, and what else the
     * image lacks) live in the container's init layer, as dockerd's do: they are not the
     * container's changes, nor in a commit's layer, while an export of the whole filesystem has
     * them. The init layer is the image's, shared by its containers, and goes with the image.
     */
    @Test
    void diffAndCommitShowOnlyWhatTheContainerWrote() throws Exception {
        ok(daemon, "run", "--name", "d1", "busybox", "sh", "-c", "echo hi > /tmp/x");
        assertThat(ok(daemon, "diff", "d1").out()).isEqualTo("C /tmp\nA /tmp/x\n");

        ok(daemon, "commit", "d1", "tmpx:1");
        Path saved = tmp.resolve("tmpx.tar");
        ok(daemon, "save", "-o", saved.toString(), "tmpx:1");
        List<String> newLayer = tarNames(lastLayer(saved));
        assertThat(newLayer).containsExactly("tmp/", "tmp/x");

        // A container of the new image: what the commit wrote is there, and it has written nothing yet.
        ok(daemon, "run", "--name", "d2", "tmpx:1", "cat", "/tmp/x");
        assertThat(ok(daemon, "logs", "d2").out()).isEqualTo("hi\n");
        assertThat(ok(daemon, "diff", "d2").out()).isEmpty();
        // A commit of no change is an empty layer, as dockerd's.
        ok(daemon, "commit", "d2", "tmpx:2");
        assertThat(ok(daemon, "history", "--format", "{{.Size}}", "tmpx:2").out().lines().findFirst()).contains("0B");

        Path exported = tmp.resolve("d1.tar");
        ok(daemon, "export", "-o", exported.toString(), "d1");
        assertThat(tarNames(Files.readAllBytes(exported))).contains("etc/hosts", "etc/hostname", "etc/resolv.conf",
                "etc/mtab", "dev/console", "dev/pts/", "dev/shm/", "proc/", "sys/", "tmp/x");
        List<String> withBoth = containerSnapshots();
        assertThat(withBoth).contains("rw/" + ok(daemon, "inspect", "--format", "{{.Id}}", "d1").out().trim(),
                "rw/" + ok(daemon, "inspect", "--format", "{{.Id}}", "d2").out().trim());
        ok(daemon, "rm", "d1", "d2");
        ok(daemon, "rmi", "tmpx:1", "tmpx:2");
        // busybox's init layer stays with busybox; tmpx's went with tmpx.
        List<String> before = containerSnapshots();
        assertThat(before.stream().filter(k -> k.startsWith("init/")).count())
                .isEqualTo(withBoth.stream().filter(k -> k.startsWith("init/")).count() - 1);
        // A create that fails once the layers are made (the user is looked up in the image's files) leaves nothing.
        DaemonProcess.Result refused = daemon.docker("create", "--user", "nosuchuser", "busybox", "true");
        assertThat(refused.err()).contains("unable to find user nosuchuser");
        assertThat(containerSnapshots()).isEqualTo(before);
    }

    /** The keys of the daemon's container snapshots (read-write and init layers), from their records on disk. */
    private static List<String> containerSnapshots() throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        Path data = tmp.resolve("d/data/snapshots");
        try (var dirs = Files.find(data, 4, (p, a) -> p.getFileName().toString().equals("info.json"))) {
            for (Path info : dirs.toList()) {
                String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.toFile()).get("key").asText();
                if (key.startsWith("rw/") || key.startsWith("init")) {
                    keys.add(key);
                }
            }
        }
        return keys.stream().sorted().toList();
    }

    /** The last layer of the only image in a docker save archive, as bytes. */
    private static byte[] lastLayer(Path archive) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    entries.put(e.getName(), t.readAllBytes());
                }
            }
        }
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(entries.get("manifest.json"));
        var layers = manifest.get(0).get("Layers");
        return entries.get(layers.get(layers.size() - 1).asText());
    }

    private static List<String> tarNames(byte[] tar) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                out.add(e.getName().replaceFirst("^\\./", ""));
            }
        }
        return out;
    }

    @Test
    void aRunningContainerIsCommittedPausedAndRunsOn() throws Exception {
        ok(daemon, "run", "-d", "--name", "live", "busybox", "sh", "-c", "echo live > /live; sleep 60");
        for (int i = 0; i < 100 && !ok(daemon, "diff", "live").out().contains("A /live"); i++) {
            Thread.sleep(50);
        }
        ok(daemon, "commit", "live", "live:1");
        assertThat(ok(daemon, "inspect", "--format", "{{.State.Status}}", "live").out().trim()).isEqualTo("running");
        assertThat(output(daemon, "live:1", "cat", "/live")).isEqualTo("live\n");
        ok(daemon, "rm", "-f", "live");
    }

    @Test
    void searchSaysItIsNotSupported() throws Exception {
        DaemonProcess.Result r = daemon.docker("search", "busybox");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("not supported");
    }

    private static int runs;

    /** An API request through curl on the daemon's socket; the body. */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--unix-socket", daemon.socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return body;
    }

    /**
     * What a container printed, read from its log rather than from `docker run`'s attached
     * stream: on a freshly started daemon the attached output of a program that exits at once is
     * sometimes lost (a lifecycle race, not an image matter), and these tests are about images.
     */
    static String output(DaemonProcess d, String... imageAndArgs) throws Exception {
        String name = "out-" + (++runs);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--name", name));
        args.addAll(List.of(imageAndArgs));
        ok(d, args.toArray(String[]::new));
        String out = ok(d, "logs", name).out();
        ok(d, "rm", name);
        return out;
    }

    /** A container that wrote /hello, committed under {@code name} with a comment; returns the image ID. */
    private static String committed(String container, String name) throws Exception {
        ok(daemon, "run", "--name", container, "busybox", "sh", "-c", "echo hello > /hello");
        String id = ok(daemon, "commit", "-m", "made by a test", container, name).out().trim();
        ok(daemon, "rm", container);
        return id;
    }

    /** Regular files of a tar with their text (small files only). */
    static Map<String, String> tarTextFiles(Path tar) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                if (e.isFile() && e.getSize() < 1 << 16) {
                    out.put(e.getName().replaceFirst("^\\./", ""), new String(t.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
