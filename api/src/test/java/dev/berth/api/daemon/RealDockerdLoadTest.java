package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.BusyboxArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's interoperability check: a real dockerd loads what `docker save` wrote from Berth (a
 * committed two-layer image and its base), sees the same image IDs and layers, and unpacks them
 * right (a container's export shows the committed file); what dockerd saves back loads into Berth
 * under the same ID.
 *
 * <p>dockerd is Debian's docker.io (20.10), from BERTH_DOCKERD, else PATH, else unpacked (not
 * installed: that would put Debian's older docker CLI first on PATH) into
 * /var/tmp/berth-bench-dockerd by .ci/run or bench/daemon-run.sh. It runs with roots and socket of
 * its own, no networking, and is stopped by its pid. Skipped only when no dockerd is there, and
 * not even then under CI.
 */
@Tag("root")
class RealDockerdLoadTest {
    private static final Path CACHE = Path.of("/var/tmp/berth-bench-dockerd/root");

    @TempDir
    Path tmp;
    private DaemonProcess berth;
    private Process dockerd;
    private boolean keyJsonExisted;

    @Test
    void dockerdLoadsWhatBerthSaved() throws Exception {
        Path binary = dockerdBinary();
        if (binary == null) {
            assertThat(System.getenv("CI")).as("CI is set but no dockerd was found (.ci/run unpacks docker.io)").isNull();
            Assumptions.abort("no dockerd (BERTH_DOCKERD, PATH, or " + CACHE + "/usr/sbin/dockerd)");
        }
        berth = DaemonProcess.start(tmp.resolve("berth"));
        Path busybox = BusyboxArchive.write(tmp.resolve("busybox.tar"), "busybox:latest");
        ok(berth.docker("load", "-i", busybox.toString()));
        ok(berth.docker("run", "--name", "writer", "busybox", "sh", "-c", "echo hello > /hello"));
        String id = ok(berth.docker("commit", "--change", "CMD [\"cat\",\"/hello\"]", "writer", "berth/committed:1")).trim();
        String layers = ok(berth.docker("image", "inspect", "--format", "{{json .RootFS.Layers}}", "berth/committed:1")).trim();
        Path archive = tmp.resolve("saved.tar");
        ok(berth.docker("save", "-o", archive.toString(), "berth/committed:1", "busybox:latest"));

        Path socket = startDockerd(binary);
        String loaded = ok(docker(socket, "load", "-i", archive.toString()));
        assertThat(loaded).contains("Loaded image: berth/committed:1").contains("Loaded image: busybox:latest");
        assertThat(ok(docker(socket, "image", "inspect", "--format", "{{.Id}}", "berth/committed:1")).trim()).isEqualTo(id);
        assertThat(ok(docker(socket, "image", "inspect", "--format", "{{json .RootFS.Layers}}", "berth/committed:1")).trim())
                .isEqualTo(layers);
        assertThat(ok(docker(socket, "image", "inspect", "--format", "{{json .Config.Cmd}}", "berth/committed:1")).trim())
                .isEqualTo("[\"cat\",\"/hello\"]");

        // dockerd unpacked both layers: a container's filesystem has the base and the committed file.
        ok(docker(socket, "create", "--network", "none", "--name", "check", "berth/committed:1"));
        Path exported = tmp.resolve("export.tar");
        ok(docker(socket, "export", "-o", exported.toString(), "check"));
        Map<String, String> files = DockerImagesTest.tarTextFiles(exported);
        assertThat(files).containsEntry("hello", "hello\n").containsKey("etc/passwd");
        ok(docker(socket, "rm", "check"));

        // And back: dockerd's save loads into Berth as the same image.
        Path back = tmp.resolve("from-dockerd.tar");
        ok(docker(socket, "save", "-o", back.toString(), "berth/committed:1"));
        try (DaemonProcess second = DaemonProcess.start(tmp.resolve("berth2"))) {
            assertThat(ok(second.docker("load", "-i", back.toString()))).contains("Loaded image: berth/committed:1");
            assertThat(ok(second.docker("image", "inspect", "--format", "{{.Id}}", "berth/committed:1")).trim()).isEqualTo(id);
            assertThat(DockerImagesTest.output(second, "berth/committed:1")).isEqualTo("hello\n");
            second.stop();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (berth != null) {
            berth.docker("rm", "-f", "writer");
            berth.stop();
        }
        if (dockerd != null) {
            dockerd.destroy(); // SIGTERM to the pid we started; dockerd stops the containerd it started
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor();
            }
            if (!keyJsonExisted) {
                Files.deleteIfExists(Path.of("/etc/docker/key.json")); // dockerd 20.10 makes its trust key there
            }
        }
        List<String> mounts = new ArrayList<>(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4]).filter(m -> m.startsWith(tmp.toString())).toList());
        mounts.sort((a, b) -> b.length() - a.length());
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).start().waitFor(); // so that the @TempDir can go
        }
        assertThat(mounts).as("mounts left under " + tmp).isEmpty();
    }

    private static Path dockerdBinary() {
        String env = System.getenv("BERTH_DOCKERD");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        for (String c : new String[] {"/usr/sbin/dockerd", "/usr/bin/dockerd", CACHE + "/usr/sbin/dockerd"}) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    /** dockerd with its own roots and socket, as bench/daemon-run.sh starts it; its own containerd from beside it. */
    private Path startDockerd(Path binary) throws IOException, InterruptedException {
        keyJsonExisted = Files.exists(Path.of("/etc/docker/key.json"));
        Path root = Files.createDirectories(tmp.resolve("dockerd"));
        Path socket = root.resolve("docker.sock");
        Files.writeString(root.resolve("daemon.json"), "{}");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(), "--pidfile", root.resolve("docker.pid").toString(),
                "-H", "unix://" + socket, "--config-file", root.resolve("daemon.json").toString(),
                "--iptables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--userland-proxy=false")
                .redirectErrorStream(true).redirectOutput(root.resolve("dockerd.log").toFile());
        Path usr = binary.getParent().getParent();
        pb.environment().put("PATH", usr.resolve("sbin") + ":" + usr.resolve("bin") + ":" + System.getenv("PATH"));
        dockerd = pb.start();
        for (int i = 0; i < 600; i++) {
            if (!dockerd.isAlive()) {
                throw new AssertionError("dockerd exited: " + Files.readString(root.resolve("dockerd.log")));
            }
            if (Files.exists(socket) && docker(socket, "version").exit() == 0) {
                return socket;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("dockerd did not answer in 60 s: " + Files.readString(root.resolve("dockerd.log")));
    }

    private DaemonProcess.Result docker(Path socket, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DaemonProcess.dockerCli()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " timed out");
        }
        return new DaemonProcess.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String ok(DaemonProcess.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return r.out();
    }
}
