package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The smaller process and linux settings of config.json, seen from inside (root, real kernel). */
class ProcessSettingsTest extends ContainerTest {
    private RuntimeCli.Result run(String script) throws Exception {
        bundle.args("sh", "-c", script).write();
        return cli.runIn(bundle.dir, "run", id);
    }

    @Test
    void userGroupsUmaskAndEnvironment() throws Exception {
        ObjectNode user = bundle.process().putObject("user");
        user.put("uid", 1000).put("gid", 1001).put("umask", 077);
        user.putArray("additionalGids").add(5).add(2000);
        bundle.process().withArray("env").add("GREETING=hello");
        RuntimeCli.Result r = run("id -u; id -g; id -G; umask; echo $GREETING");
        assertThat(r.out().trim().split("\n")).as(r.err()).containsExactly("1000", "1001", "1001 5 2000", "0077", "hello");
    }

    @Test
    void rlimitsAndOomScoreAdjApply() throws Exception {
        bundle.process().putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 512).put("soft", 256);
        bundle.process().put("oomScoreAdj", 500);
        RuntimeCli.Result r = run("ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj");
        assertThat(r.out().trim().split("\n")).as(r.err()).containsExactly("256", "512", "500");
    }

    @Test
    void sysctlsAreWrittenInTheContainersNamespaces() throws Exception {
        bundle.linux().putObject("sysctl").put("net.ipv4.ip_forward", "1").put("kernel.domainname", "berth.test");
        RuntimeCli.Result r = run("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/domainname");
        assertThat(r.out().trim().split("\n")).as(r.err()).containsExactly("1", "berth.test");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/domainname")).trim()).isNotEqualTo("berth.test");
    }

    @Test
    void deviceRulesDenyWhatIsNotAllowed() throws Exception {
        // The default spec denies every device; /dev/null and friends are allowed again by Berth.
        bundle.linux().withArray("devices").addObject().put("path", "/dev/loop-test").put("type", "b")
                .put("major", 7).put("minor", 200).put("fileMode", 0660);
        RuntimeCli.Result r = run("echo ok > /dev/null && echo null-ok; head -c 1 /dev/zero >/dev/null && echo zero-ok; "
                + "ls -l /dev/loop-test; mknod /dev/sda b 8 0 2>&1 || echo mknod-refused");
        assertThat(r.out()).as(r.err()).contains("null-ok").contains("zero-ok").contains("brw-rw----").contains("7, 200")
                .contains("mknod-refused");
    }

    @Test
    void theDefaultSpecIsRunnableAndRootlessSpecMapsIds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fresh"));
        assertThat(cli.run("spec", "--bundle", dir.toString()).exit()).isZero();
        String config = Files.readString(dir.resolve("config.json"));
        assertThat(config).contains("\"ociVersion\"").contains("CAP_KILL").contains("maskedPaths");
        assertThat(cli.run("spec", "--bundle", dir.toString()).err()).contains("exists. Remove it first");
        Path rootless = Files.createDirectories(tmp.resolve("rootless"));
        assertThat(cli.run("spec", "--rootless", "--bundle", rootless.toString()).exit()).isZero();
        assertThat(Files.readString(rootless.resolve("config.json"))).contains("\"user\"").contains("uidMappings")
                .doesNotContain("\"network\"");
    }

    @Test
    void featuresDescribesWhatIsSupported() throws Exception {
        RuntimeCli.Result r = cli.run("features");
        assertThat(r.out()).contains("\"ociVersionMax\"").contains("\"SCMP_ACT_ERRNO\"").contains("\"time\"")
                .contains("\"createContainer\"");
    }

    @Test
    void theShimAsInitIsPid1ReapsOrphansAndPassesTheExitCodeOn() throws Exception {
        // As docker run --init: the static shim bound at /sbin/docker-init runs the program.
        bundle.config.withArray("mounts").addObject().put("destination", "/sbin/docker-init").put("type", "bind")
                .put("source", RuntimeCli.HOME.resolve("native/target/berth-shim").toString())
                .putArray("options").add("bind").add("ro");
        bundle.args("/sbin/docker-init", "--", "sh", "-c",
                "echo program-pid=$$; (sleep 0.2 &); sleep 1; echo zombies=$(ps -o stat | grep -c '^Z'); exit 9").write();
        RuntimeCli.Result r = cli.runIn(bundle.dir, "run", id);
        assertThat(r.exit()).as(r.err()).isEqualTo(9);
        assertThat(r.out()).contains("program-pid=2").contains("zombies=0");
    }
}
