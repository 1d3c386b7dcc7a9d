package dev.berth.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.daemon.DaemonProcess;
import dev.berth.api.daemon.Leftovers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-py (Debian's python3-docker, 5.0) against `berth daemon`: the script
 * compat/dockerpy_check.py drives the containers, images, volumes and system APIs the way a
 * python user does, and prints what it saw as {@code key=value} lines asserted here.
 */
@Tag("root")
class DockerPyCompatTest {
    @TempDir
    Path tmp;

    @Test
    void dockerPyDrivesContainersImagesVolumesAndEvents() throws Exception {
        DaemonProcess d = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        try {
            ClientProcess.Result r = ClientProcess.run(
                    List.of("/usr/bin/python3", ClientProcess.resource("dockerpy_check.py").toString(), "unix://" + d.socket),
                    Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString()), tmp, 240);
            assertThat(r.exit()).as(r.describe()).isZero();
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("ping", "True");
            expected.put("version.ApiVersion", "1.47");
            expected.put("version.Os", "linux");
            expected.put("info.has_containers", "True");
            expected.put("run.output", "hello from run");
            expected.put("run.detached.name", "pyc");
            expected.put("status", "running");
            expected.put("attrs.HostConfig.Memory", String.valueOf(64 * 1024 * 1024));
            expected.put("attrs.Config.Labels.suite", "compat");
            expected.put("attrs.State.Running", "True");
            expected.put("labels", "suite:compat,tool:docker-py");
            expected.put("image.tags", "busybox:latest");
            expected.put("list.label", "pyc");
            expected.put("list.label.none", "0");
            expected.put("list.name", "pyc");
            expected.put("list.status.running", "pyc");
            expected.put("list.get", "True");
            expected.put("logs.stdout", "to-out");
            expected.put("logs.stderr", "to-err");
            expected.put("logs.both", "to-err,to-out");
            expected.put("exec.exit", "3");
            expected.put("exec.output", "exec-out");
            expected.put("exec.ok.exit", "0");
            expected.put("exec.demux", "a|b");
            expected.put("logs.follow", "line 1,line 2,line 3");
            expected.put("exec.stream", "s1,s2");
            expected.put("put_archive", "True");
            expected.put("get_archive", "p.txt 8 payload");
            expected.put("kill.wait", "137");
            expected.put("restart.status", "running");
            expected.put("commit.tags", "pycommit:v1");
            expected.put("kill.remove.failures", "[]");
            expected.put("ports.reply", "pong");
            expected.put("networks", "['bridge', 'host', 'none']");
            expected.put("networks.created", "pynet");
            expected.put("build.refused", "501 True");
            expected.put("paused.status", "paused");
            expected.put("unpaused.status", "running");
            expected.put("top.titles.has_pid", "True");
            expected.put("top.has_sleep", "True");
            expected.put("stats.memory.limit", String.valueOf(64 * 1024 * 1024));
            expected.put("stats.has_cpu", "True");
            expected.put("rename.name", "pyc2");
            // sh as pid 1 ignores SIGTERM: stop's timeout ends in SIGKILL, as with dockerd.
            expected.put("wait.StatusCode", "137");
            expected.put("stopped.status", "exited");
            expected.put("wait.exit7", "7");
            expected.put("images.tags", "busybox:latest");
            expected.put("images.get.id", "True");
            expected.put("images.tag", "busybox:latest,pyretag:x");
            expected.put("images.load", "busybox:latest");
            expected.put("volume.create", "pyvol");
            expected.put("volume.list", "pyvol");
            expected.put("volume.output", "in-vol");
            expected.put("df.keys", "Containers,Images,LayersSize,Volumes");
            expected.put("df.volume", "True");
            for (String a : List.of("container:create", "container:start", "container:die", "container:pause",
                    "container:unpause", "container:rename", "container:destroy", "volume:create")) {
                expected.put("events." + a, "True");
            }
            expected.put("events.filtered", "['die']");
            expected.put("volume.removed", "True");
            expected.put("remaining", "0");
            expected.put("get.removed", "NotFound");
            expected.put("done", "True");
            assertThat(r.keyValues()).as(r.describe()).containsExactlyInAnyOrderEntriesOf(expected);
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }
}
