package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What a process sees inside a berth-runtime container (root, real kernel). */
class IsolationTest extends ContainerTest {
    private RuntimeCli.Result run(String... args) throws Exception {
        bundle.args(args).write();
        return cli.runIn(bundle.dir, "run", id);
    }

    @Test
    void theProgramIsPid1() throws Exception {
        RuntimeCli.Result r = run("sh", "-c", "echo $$");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("1");
    }

    @Test
    void theContainerHasItsOwnHostname() throws Exception {
        bundle.config.put("hostname", "berth-box");
        RuntimeCli.Result r = run("hostname");
        assertThat(r.out().trim()).as(r.err()).isEqualTo("berth-box");
    }

    @Test
    void aNewNetworkNamespaceHoldsOnlyLoopback() throws Exception {
        RuntimeCli.Result r = run("ls", "/sys/class/net");
        assertThat(r.out().trim()).as(r.err()).isEqualTo("lo");
    }

    @Test
    void theExitCodeIsTheProgramsOwn() throws Exception {
        assertThat(run("sh", "-c", "exit 7").exit()).isEqualTo(7);
    }

    @Test
    void aReadOnlyRootRefusesWrites() throws Exception {
        bundle.config.with("root").put("readonly", true);
        RuntimeCli.Result r = run("touch", "/written");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
        assertThat(bundle.rootfs().resolve("written")).doesNotExist();
    }

    @Test
    void aDanglingSymlinkAsABindTargetResolvesInsideTheRootNeverOnTheHost() throws Exception {
        // The image's /etc/hosts points at an absolute path that exists nowhere: the mount point
        // must be made at that path inside the rootfs (as runc does), not followed out to the host.
        java.nio.file.Path hostPath = java.nio.file.Path.of("/tmp", "berth-escape-" + id);
        java.nio.file.Files.createDirectories(bundle.rootfs().resolve("tmp"));
        java.nio.file.Files.createSymbolicLink(bundle.rootfs().resolve("etc/hosts"), hostPath);
        java.nio.file.Path source = java.nio.file.Files.writeString(bundle.dir.resolve("hosts"), "10.1.2.3 bound\n");
        com.fasterxml.jackson.databind.node.ObjectNode mount = ((com.fasterxml.jackson.databind.node.ArrayNode) bundle.config.get("mounts")).addObject();
        mount.put("destination", "/etc/hosts").put("type", "bind").put("source", source.toString());
        mount.putArray("options").add("rbind").add("ro");
        try {
            RuntimeCli.Result r = run("cat", "/etc/hosts");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("10.1.2.3 bound\n");
            assertThat(hostPath).doesNotExist();
            assertThat(bundle.rootfs().resolve(hostPath.toString().substring(1))).exists();
        } finally {
            java.nio.file.Files.deleteIfExists(hostPath);
        }
    }

    @Test
    void maskedPathsReadEmpty() throws Exception {
        RuntimeCli.Result r = run("sh", "-c", "wc -c < /proc/keys; ls -A /sys/firmware | wc -l");
        assertThat(r.out().split("\\s+")).as(r.err()).containsExactly("0", "0");
    }

    @Test
    void readOnlyPathsRefuseWrites() throws Exception {
        RuntimeCli.Result r = run("sh", "-c", "echo 1 > /proc/sys/kernel/ns_last_pid");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
    }

    @Test
    void withoutCapSysTimeTheClockCannotBeSet() throws Exception {
        // Sets the clock to the current second: harmless even if the capability leaked.
        // busybox date reports the failure but exits 0.
        RuntimeCli.Result r = run("sh", "-c", "date -s @$(date +%s)");
        assertThat(r.err()).contains("can't set date: Operation not permitted");
    }

    @Test
    void capabilitiesAreExactlyTheConfiguredSets() throws Exception {
        RuntimeCli.Result r = run("sh", "-c", "grep -E '^Cap(Eff|Bnd|Prm)' /proc/self/status");
        // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29) of the default spec
        long expected = (1L << 5) | (1L << 10) | (1L << 29);
        assertThat(r.out()).as(r.err()).contains(String.format("CapEff:\t%016x", expected))
                .contains(String.format("CapBnd:\t%016x", expected));
    }

    @Test
    void aSeccompRuleReturnsTheConfiguredErrno() throws Exception {
        ObjectNode seccomp = bundle.linux().putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        ObjectNode rule = seccomp.putArray("syscalls").addObject();
        rule.putArray("names").add("mkdir").add("mkdirat");
        rule.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 38);
        RuntimeCli.Result r = run("mkdir", "/tmp/blocked");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Function not implemented");
    }

    @Test
    void userNamespaceMapsRootToAnUnprivilegedHostUid() throws Exception {
        Permissions.openToAll(tmp, bundle.dir);
        bundle.linux().withArray("namespaces").addObject().put("type", "user");
        bundle.linux().putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        bundle.linux().putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        RuntimeCli.Result r = run("sh", "-c", "id -u; cat /proc/self/uid_map");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        assertThat(lines[0]).isEqualTo("0");
        assertThat(lines[1].trim().split("\\s+")).containsExactly("0", "100000", "65536");
    }
}
