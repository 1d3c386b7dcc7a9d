package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.runtime.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `docker cp` through `berth daemon` (root, real kernel, the real docker CLI): files in and out,
 * a directory out, running and stopped containers, bind mounts seen where the container sees
 * them, symlinks resolved inside the container, and docker's error for a missing path.
 */
@Tag("root")
class DockerCpTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;
    static Path bind;

    @BeforeAll
    static void startDaemonAndContainer() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        bind = Files.createDirectories(tmp.resolve("bind"));
        DaemonProcess.Result run = daemon.docker("run", "-d", "--name", "cpbox", "-v", bind + ":/mnt", "busybox", "sleep", "600");
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    @Test
    void aFileGoesInAndComesBackOut() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.txt"), "hello in\n");
        DaemonProcess.Result cp = daemon.docker("cp", in.toString(), "cpbox:/tmp/");
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(daemon.docker("exec", "cpbox", "cat", "/tmp/in.txt").out()).isEqualTo("hello in\n");
        // To a name that does not exist yet: the file is renamed.
        assertThat(daemon.docker("cp", in.toString(), "cpbox:/tmp/renamed.txt").exit()).isZero();
        assertThat(daemon.docker("exec", "cpbox", "cat", "/tmp/renamed.txt").out()).isEqualTo("hello in\n");
        Path out = tmp.resolve("out.txt");
        DaemonProcess.Result back = daemon.docker("cp", "cpbox:/tmp/renamed.txt", out.toString());
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("hello in\n");
    }

    @Test
    void aDirectoryComesOutWithItsTree() throws Exception {
        DaemonProcess.Result made = daemon.docker("exec", "cpbox", "sh", "-c",
                "mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b && busybox ln -s a /data/link");
        assertThat(made.exit()).as(made.err()).isZero();
        Path dest = Files.createDirectories(tmp.resolve("dirout"));
        DaemonProcess.Result cp = daemon.docker("cp", "cpbox:/data", dest.toString());
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(Files.readString(dest.resolve("data/a"))).isEqualTo("a\n");
        assertThat(Files.readString(dest.resolve("data/sub/b"))).isEqualTo("b\n");
        assertThat(Files.readSymbolicLink(dest.resolve("data/link")).toString()).isEqualTo("a");
    }

    @Test
    void aDirectoryGoesInAndItsContentsComeOut() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("tree/inner"));
        Files.writeString(src.getParent().resolve("top.txt"), "top\n");
        Files.writeString(src.resolve("deep.txt"), "deep\n");
        DaemonProcess.Result cp = daemon.docker("cp", src.getParent().toString(), "cpbox:/srv");
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(daemon.docker("exec", "cpbox", "cat", "/srv/top.txt", "/srv/inner/deep.txt").out()).isEqualTo("top\ndeep\n");
        // "dir/." copies what is in the directory, not the directory itself.
        Path dest = Files.createDirectories(tmp.resolve("contents"));
        DaemonProcess.Result out = daemon.docker("cp", "cpbox:/srv/.", dest.toString());
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(Files.readString(dest.resolve("inner/deep.txt"))).isEqualTo("deep\n");
        assertThat(dest.resolve("srv")).doesNotExist();
    }

    @Test
    void aDirectoryDoesNotReplaceAFile() throws Exception {
        assertThat(daemon.docker("exec", "cpbox", "sh", "-c", "mkdir -p /clash && echo file > /clash/thing").exit()).isZero();
        Path thing = Files.createDirectories(tmp.resolve("clash/thing"));
        Files.writeString(thing.resolve("x"), "x\n");
        DaemonProcess.Result cp = daemon.docker("cp", thing.toString(), "cpbox:/clash/");
        assertThat(cp.exit()).isNotZero();
        assertThat(cp.err()).contains("cannot overwrite non-directory");
        assertThat(daemon.docker("exec", "cpbox", "cat", "/clash/thing").out()).isEqualTo("file\n");
    }

    @Test
    void thePathStatHeaderIsDockers() throws Exception {
        assertThat(daemon.docker("exec", "cpbox", "sh", "-c", "mkdir -p /st && echo 12345 > /st/f && chmod 640 /st/f && busybox ln -s f /st/l").exit()).isZero();
        JsonNode file = pathStat("/st/f");
        assertThat(file.path("name").asText()).isEqualTo("f");
        assertThat(file.path("size").asLong()).isEqualTo(6);
        assertThat(file.path("mode").asLong()).isEqualTo(0640);
        assertThat(file.path("mtime").asText()).startsWith(String.valueOf(java.time.Year.now().getValue()));
        JsonNode dir = pathStat("/st/");
        assertThat(dir.path("name").asText()).isEqualTo("st");
        assertThat(dir.path("mode").asLong() & (1L << 31)).as("Go's ModeDir").isNotZero();
        JsonNode link = pathStat("/st/l");
        assertThat(link.path("mode").asLong() & (1L << 27)).as("Go's ModeSymlink").isNotZero();
        assertThat(link.path("linkTarget").asText()).isEqualTo("/st/f");
        assertThat(ApiCurl.call(daemon, "HEAD", "/containers/cpbox/archive?path=/nope", null, "-I")).startsWith("HTTP/1.1 404");
    }

    private static JsonNode pathStat(String path) throws Exception {
        String head = ApiCurl.call(daemon, "HEAD", "/containers/cpbox/archive?path=" + path, null, "-I");
        assertThat(head).startsWith("HTTP/1.1 200");
        String value = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-docker-container-path-stat:"))
                .findFirst().orElseThrow().substring("x-docker-container-path-stat:".length()).trim();
        return Json.mapper().readTree(java.util.Base64.getDecoder().decode(value));
    }

    @Test
    void aMissingPathIsDockersError() throws Exception {
        DaemonProcess.Result r = daemon.docker("cp", "cpbox:/no/such/file", tmp.resolve("never").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Could not find the file /no/such/file in container cpbox");
        assertThat(tmp.resolve("never")).doesNotExist();
        DaemonProcess.Result in = daemon.docker("cp", daemon.root.resolve("busybox.tar").toString(), "cpbox:/no/such/dir/");
        assertThat(in.exit()).isNotZero();
    }

    @Test
    void symlinksResolveInsideTheContainer() throws Exception {
        // A link that climbs far above the root still lands in the container's root, not the host's.
        assertThat(daemon.docker("exec", "cpbox", "busybox", "ln", "-s", "../../../../../../..", "/up").exit()).isZero();
        Path out = tmp.resolve("passwd-through-link");
        DaemonProcess.Result cp = daemon.docker("cp", "cpbox:/up/etc/passwd", out.toString());
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(daemon.docker("exec", "cpbox", "cat", "/etc/passwd").out());
        assertThat(Files.readString(out)).isNotEqualTo(Files.readString(Path.of("/etc/passwd")));
    }

    @Test
    void aBindMountIsWhereTheContainerSeesIt() throws Exception {
        Path in = Files.writeString(tmp.resolve("tobind.txt"), "through the bind\n");
        DaemonProcess.Result cp = daemon.docker("cp", in.toString(), "cpbox:/mnt/");
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(Files.readString(bind.resolve("tobind.txt"))).isEqualTo("through the bind\n");
    }

    @Test
    void aStoppedContainerCanBeCopiedToAndFrom() throws Exception {
        assertThat(daemon.docker("create", "--name", "cpstopped", "busybox", "true").exit()).isZero();
        Path in = Files.writeString(tmp.resolve("stopped-in.txt"), "while stopped\n");
        DaemonProcess.Result cp = daemon.docker("cp", in.toString(), "cpstopped:/stopped.txt");
        assertThat(cp.exit()).as(cp.err()).isZero();
        Path out = tmp.resolve("stopped-out.txt");
        DaemonProcess.Result back = daemon.docker("cp", "cpstopped:/stopped.txt", out.toString());
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("while stopped\n");
    }
}
