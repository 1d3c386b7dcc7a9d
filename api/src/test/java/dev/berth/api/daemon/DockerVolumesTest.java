package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.BusyboxArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes, binds and tmpfs mounts through the real docker CLI against `berth daemon` (root, real
 * kernel): what a docker user sees from inside the container and from `docker volume`.
 */
@Tag("root")
class DockerVolumesTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonWithImages() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        // An image with a VOLUME: every container of it gets an anonymous volume on /root.
        DaemonProcess.Result load = daemon.docker("load", "-i", BusyboxArchive.write(tmp.resolve("withvolume.tar"), "withvolume:latest",
                "\"Volumes\":{\"/root\":{}}").toString());
        assertThat(load.out()).as(load.err()).contains("Loaded image: withvolume:latest");
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    private static DaemonProcess.Result ok(String... args) throws Exception {
        DaemonProcess.Result r = daemon.docker(args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    private static List<String> volumeNames() throws Exception {
        return Arrays.stream(ok("volume", "ls", "-q").out().split("\\s+")).filter(s -> !s.isBlank()).toList();
    }

    @Test
    void aNamedVolumeKeepsItsDataAcrossContainers() throws Exception {
        assertThat(ok("volume", "create", "keep").out().trim()).isEqualTo("keep");
        ok("run", "--name", "writer", "-v", "keep:/data", "busybox", "sh", "-c", "echo hi > /data/f");
        ok("rm", "-v", "writer"); // -v takes anonymous volumes only
        assertThat(ok("run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f").out()).isEqualTo("hi\n");
        assertThat(volumeNames()).contains("keep");
        assertThat(ok("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Scope}} {{.Mountpoint}}", "keep").out().trim())
                .isEqualTo("keep local local " + daemon.root.resolve("data/volumes/keep/_data"));
        ok("volume", "rm", "keep");
        assertThat(volumeNames()).doesNotContain("keep");
        DaemonProcess.Result gone = daemon.docker("volume", "inspect", "keep");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("no such volume");
    }

    @Test
    void aVolumeInUseCannotBeRemoved() throws Exception {
        ok("volume", "create", "--label", "team=a", "busy");
        String id = ok("create", "-v", "busy:/data", "busybox", "true").out().trim();
        DaemonProcess.Result rm = daemon.docker("volume", "rm", "busy");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).contains("remove busy: volume is in use - [" + id + "]");
        assertThat(daemon.docker("volume", "rm", "-f", "busy").err()).contains("volume is in use");
        assertThat(ok("volume", "ls", "-q", "--filter", "dangling=false").out()).contains("busy");
        assertThat(ok("volume", "ls", "-q", "--filter", "label=team=a").out().trim()).isEqualTo("busy");
        assertThat(ok("volume", "ls", "-q", "--filter", "label=team=b").out()).isBlank();
        assertThat(ok("inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.Driver}} {{.Mode}} {{.RW}}{{end}}", id)
                .out().trim()).isEqualTo("volume busy /data local z true");
        ok("rm", id);
        assertThat(ok("volume", "ls", "-q", "--filter", "dangling=true").out()).contains("busy");
        ok("volume", "rm", "busy");
    }

    @Test
    void aNewVolumeStartsWithTheImagesContentUnlessNocopy() throws Exception {
        ok("run", "--rm", "-v", "etc-copy:/etc", "busybox", "true");
        assertThat(ok("run", "--rm", "-v", "etc-copy:/mnt", "busybox", "cat", "/mnt/passwd").out()).startsWith("root:x:0:0:");
        ok("run", "--rm", "-v", "etc-nocopy:/etc:nocopy", "busybox", "true");
        assertThat(ok("run", "--rm", "-v", "etc-nocopy:/mnt", "busybox", "ls", "/mnt").out()).doesNotContain("passwd");
        ok("volume", "rm", "etc-copy", "etc-nocopy");
    }

    @Test
    void aBindMountCanBeReadOnly() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("hostdir"));
        Files.writeString(host.resolve("f"), "from the host\n");
        DaemonProcess.Result r = daemon.docker("run", "--rm", "-v", host + ":/x:ro", "busybox", "sh", "-c", "cat /x/f; touch /x/g");
        assertThat(r.out()).isEqualTo("from the host\n");
        assertThat(r.err()).contains("Read-only file system");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(host.resolve("g")).doesNotExist();
        ok("run", "--rm", "-v", host + ":/x", "busybox", "touch", "/x/g");
        assertThat(host.resolve("g")).exists();
        String id = ok("create", "-v", host + ":/x:ro", "busybox", "true").out().trim();
        assertThat(ok("inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Source}} {{.Destination}} {{.Mode}} {{.RW}} {{.Propagation}}{{end}}", id)
                .out().trim()).isEqualTo("bind " + host + " /x ro false rprivate");
        ok("rm", id);
    }

    @Test
    void aMissingBindSourceIsDockersErrorAndLeavesNoContainer() throws Exception {
        List<String> before = List.of(ok("ps", "-aq").out().split("\\s+"));
        DaemonProcess.Result r = daemon.docker("run", "--rm", "--mount", "type=bind,source=/no/such/dir,target=/x", "busybox", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir");
        assertThat(List.of(ok("ps", "-aq").out().split("\\s+"))).isEqualTo(before);
        // -v, unlike --mount, makes a missing host directory (docker's legacy behaviour).
        Path made = tmp.resolve("made-by-v");
        ok("run", "--rm", "-v", made + ":/x", "busybox", "true");
        assertThat(made).isDirectory();
        DaemonProcess.Result badMode = daemon.docker("run", "--rm", "-v", tmp + ":/x:rx", "busybox", "true");
        assertThat(badMode.err()).contains("invalid mode: rx");
    }

    @Test
    void tmpfsMountsAreTmpfs() throws Exception {
        assertThat(ok("run", "--rm", "--tmpfs", "/run:size=1m", "busybox", "grep", " /run ", "/proc/mounts").out())
                .startsWith("tmpfs /run tmpfs rw,nosuid,nodev,noexec").contains("size=1024k");
        assertThat(ok("run", "--rm", "--mount", "type=tmpfs,target=/t,tmpfs-size=2m", "busybox", "grep", " /t ", "/proc/mounts").out())
                .startsWith("tmpfs /t tmpfs rw,nosuid,nodev,noexec").contains("size=2048k");
        String id = ok("create", "--mount", "type=tmpfs,target=/t", "busybox", "true").out().trim();
        assertThat(ok("inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}}{{end}}", id).out().trim())
                .isEqualTo("tmpfs /t true");
        ok("rm", id);
    }

    @Test
    void anImageVolumeIsAnAnonymousVolumeRemovedWithRmV() throws Exception {
        List<String> before = volumeNames();
        String id = ok("create", "withvolume", "true").out().trim();
        List<String> after = volumeNames().stream().filter(v -> !before.contains(v)).toList();
        assertThat(after).hasSize(1);
        String anon = after.getFirst();
        assertThat(anon).matches("[0-9a-f]{64}");
        assertThat(ok("volume", "inspect", "--format", "{{json .Labels}}", anon).out().trim())
                .isEqualTo("{\"com.docker.volume.anonymous\":\"\"}");
        assertThat(ok("inspect", "--format", "{{range .Mounts}}{{.Name}} {{.Destination}}{{end}}", id).out().trim())
                .isEqualTo(anon + " /root");
        ok("rm", "-v", id);
        assertThat(volumeNames()).doesNotContain(anon);
        // --rm takes it too.
        ok("run", "--rm", "withvolume", "true");
        assertThat(volumeNames()).isEqualTo(before);
        // `-v /dst` (Config.Volumes) is an anonymous volume as well.
        String plain = ok("create", "-v", "/scratch", "busybox", "true").out().trim();
        assertThat(volumeNames()).hasSize(before.size() + 1);
        ok("rm", "-v", plain);
        assertThat(volumeNames()).isEqualTo(before);
    }

    @Test
    void pruneTakesUnusedAnonymousVolumesAndWithAllNamedOnes() throws Exception {
        List<String> before = volumeNames();
        ok("rm", ok("create", "withvolume", "true").out().trim()); // leaves its anonymous volume behind
        ok("volume", "create", "prune-named");
        String user = ok("create", "-v", "prune-used:/data", "busybox", "true").out().trim();
        List<String> anon = volumeNames().stream().filter(v -> !before.contains(v) && v.matches("[0-9a-f]{64}")).toList();
        assertThat(anon).hasSize(1);
        DaemonProcess.Result prune = ok("volume", "prune", "-f");
        assertThat(prune.out()).contains(anon.getFirst()).contains("Total reclaimed space");
        assertThat(volumeNames()).contains("prune-named", "prune-used").doesNotContain(anon.getFirst());
        ok("volume", "prune", "-a", "-f");
        assertThat(volumeNames()).contains("prune-used").doesNotContain("prune-named");
        ok("rm", user);
        ok("volume", "rm", "prune-used");
    }

    @Test
    void aVolumeWithDriverOptionsIsMountedWhileUsed() throws Exception {
        ok("volume", "create", "--driver", "local", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=4m", "tmpvol");
        assertThat(ok("run", "--rm", "-v", "tmpvol:/v", "busybox", "grep", " /v ", "/proc/mounts").out()).startsWith("tmpfs /v tmpfs")
                .contains("size=4096k");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("volumes/tmpvol/_data");
        // type=none,o=bind: the volume is a host directory, written through from the container.
        Path device = Files.createDirectories(tmp.resolve("bind-device"));
        ok("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=" + device, "bindvol");
        ok("run", "--rm", "-v", "bindvol:/v", "busybox", "sh", "-c", "echo through > /v/f");
        assertThat(Files.readString(device.resolve("f"))).isEqualTo("through\n");
        ok("volume", "rm", "bindvol");
        assertThat(device.resolve("f")).exists(); // removing the volume leaves the host's directory alone
        DaemonProcess.Result plugin = daemon.docker("volume", "create", "--driver", "nfsplugin", "x");
        assertThat(plugin.err()).contains("plugin \"nfsplugin\" not found");
        ok("volume", "rm", "tmpvol");
    }

    @Test
    void aFailedCreateTakesItsAnonymousVolumesButKeepsNamedOnes() throws Exception {
        List<String> before = volumeNames();
        DaemonProcess.Result r = daemon.docker("create", "-u", "nosuchuser", "-v", "kept-on-failure:/data", "withvolume", "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unable to find user nosuchuser");
        List<String> after = volumeNames();
        assertThat(after).contains("kept-on-failure").hasSize(before.size() + 1);
        ok("volume", "rm", "kept-on-failure");
        assertThat(daemon.docker("run", "--rm", "--volumes-from", "other", "busybox", "true").err())
                .contains("VolumesFrom (--volumes-from) is not supported by berth");
    }

    @Test
    void aMountCanCreateItsNamedVolumeWithLabelsAndOptions() throws Exception {
        assertThat(ok("run", "--rm", "--mount", "type=volume,source=mount-made,target=/m,volume-label=made=by-mount,"
                + "volume-opt=type=tmpfs,volume-opt=device=tmpfs", "busybox", "grep", " /m ", "/proc/mounts").out()).startsWith("tmpfs /m tmpfs");
        assertThat(ok("volume", "inspect", "--format", "{{json .Labels}} {{json .Options}}", "mount-made").out().trim())
                .isEqualTo("{\"made\":\"by-mount\"} {\"device\":\"tmpfs\",\"type\":\"tmpfs\"}");
        ok("volume", "rm", "mount-made");
    }

    @Test
    void volumesAndTheirUsersSurviveADaemonRestart() throws Exception {
        ok("volume", "create", "durable");
        String id = ok("create", "-v", "durable:/data", "busybox", "true").out().trim();
        daemon.stop();
        daemon = DaemonProcess.start(daemon.root);
        assertThat(volumeNames()).contains("durable");
        assertThat(daemon.docker("volume", "rm", "durable").err()).contains("volume is in use - [" + id + "]");
        ok("rm", id);
        ok("volume", "rm", "durable");
    }

    @Test
    void psFiltersByAVolumesNameABindsSourceOrADestination() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("filter-site"));
        ok("create", "--name", "vf-named", "-v", "vf-data:/srv/data", "busybox", "true");
        ok("create", "--name", "vf-bind", "-v", site + ":/site:ro", "busybox", "true");
        ok("create", "--name", "vf-anon", "withvolume", "true");
        ok("create", "--name", "vf-none", "busybox", "true");
        String anonymous = ok("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", "vf-anon").out().trim();
        assertThat(psByVolume("vf-data")).isEqualTo("vf-named");
        assertThat(psByVolume("/srv/data")).isEqualTo("vf-named");
        assertThat(psByVolume(site.toString())).isEqualTo("vf-bind");
        assertThat(psByVolume("/site")).isEqualTo("vf-bind");
        assertThat(psByVolume(anonymous)).isEqualTo("vf-anon");
        assertThat(psByVolume("/root")).isEqualTo("vf-anon");
        assertThat(psByVolume("/srv")).isEmpty();
        assertThat(ok("ps", "-a", "--filter", "volume=vf-data", "--filter", "volume=/site", "--format", "{{.Names}}").out()
                .lines().sorted().toList()).containsExactly("vf-bind", "vf-named");
        ok("rm", "-v", "vf-named", "vf-bind", "vf-anon", "vf-none");
        ok("volume", "rm", "vf-data");
    }

    private static String psByVolume(String value) throws Exception {
        return ok("ps", "-a", "--filter", "volume=" + value, "--format", "{{.Names}}").out().trim();
    }
}
