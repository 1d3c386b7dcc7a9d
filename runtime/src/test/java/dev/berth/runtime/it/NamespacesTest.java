package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Namespaces joined by path, the time namespace, --no-pivot and --preserve-fds (root, real kernel). */
class NamespacesTest extends ContainerTest {
    @Test
    void aSecondContainerJoinsTheFirstsNetworkAndUtsNamespacesByPath() throws Exception {
        bundle.args("sleep", "100");
        bundle.config.put("hostname", "first");
        bundle.write();
        assertThat(cli.run("run", "--detach", "--bundle", bundle.dir.toString(), id).exit()).isZero();
        int pid = Integer.parseInt(cli.run("state", id).out().replaceAll("(?s).*\"pid\" : (\\d+).*", "$1"));

        BusyboxBundle second = BusyboxBundle.create(Files.createDirectories(tmp.resolve("second")), "sh", "-c",
                "hostname; readlink /proc/self/ns/net");
        ArrayNode namespaces = second.linux().putArray("namespaces");
        namespaces.addObject().put("type", "pid");
        namespaces.addObject().put("type", "mount");
        namespaces.addObject().put("type", "network").put("path", "/proc/" + pid + "/ns/net");
        namespaces.addObject().put("type", "uts").put("path", "/proc/" + pid + "/ns/uts");
        second.config.remove("hostname");
        second.write();
        RuntimeCli.Result r = cli.runIn(second.dir, "run", id + "-2");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        assertThat(lines[0]).isEqualTo("first");
        assertThat(lines[1]).isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString());
    }

    @Test
    void aTimeNamespaceShiftsTheMonotonicClock() throws Exception {
        bundle.linux().withArray("namespaces").addObject().put("type", "time");
        ObjectNode offsets = bundle.linux().putObject("timeOffsets");
        offsets.putObject("monotonic").put("secs", 864000).put("nanosecs", 0);
        offsets.putObject("boottime").put("secs", 864000).put("nanosecs", 0);
        bundle.args("cat", "/proc/uptime").write();
        RuntimeCli.Result r = cli.runIn(bundle.dir, "run", id);
        assertThat(r.exit()).as(r.err()).isZero();
        double uptime = Double.parseDouble(r.out().trim().split(" ")[0]);
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertThat(uptime - hostUptime).isBetween(864000.0 - 60, 864000.0 + 60);
    }

    @Test
    void noPivotStillGivesTheContainerItsRoot() throws Exception {
        bundle.args("sh", "-c", "ls /bin/busybox && cat /proc/self/mountinfo | wc -l").write();
        RuntimeCli.Result r = cli.runIn(bundle.dir, "run", "--no-pivot", id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("/bin/busybox");
    }

    @Test
    void preservedFdsReachTheContainer() throws Exception {
        bundle.args("sh", "-c", "echo through-fd-3 >&3").write();
        Path out = tmp.resolve("fd3.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec 3>" + out + "; exec " + RuntimeCli.LAUNCHER
                + " --root " + cli.root + " run --preserve-fds 1 --bundle " + bundle.dir + " " + id);
        Process p = pb.redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        assertThat(Files.readString(out).trim()).isEqualTo("through-fd-3");
    }
}
