package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker's default seccomp profile on every container, and --security-opt seccomp=..., seen
 * from inside the container through the real docker CLI (root, real kernel).
 */
@Tag("root")
class DockerSeccompTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonWithBusybox() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
    }

    @AfterAll
    static void stop() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    private static DaemonProcess.Result run(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "--rm";
        System.arraycopy(args, 0, all, 2, args.length);
        return daemon.docker(all);
    }

    @Test
    void everyContainerIsFilteredUnlessUnconfinedOrPrivileged() throws Exception {
        assertThat(run("busybox", "grep", "Seccomp:", "/proc/self/status").out()).isEqualTo("Seccomp:\t2\n");
        assertThat(run("--security-opt", "seccomp=unconfined", "busybox", "grep", "Seccomp:", "/proc/self/status").out())
                .isEqualTo("Seccomp:\t0\n");
        assertThat(run("--privileged", "busybox", "grep", "Seccomp:", "/proc/self/status").out()).isEqualTo("Seccomp:\t0\n");
    }

    @Test
    void theDefaultProfileDeniesNamespacesAndMountsWithoutSysAdmin() throws Exception {
        DaemonProcess.Result unshare = run("busybox", "busybox", "unshare", "-U", "true");
        assertThat(unshare.exit()).isNotZero();
        assertThat(unshare.err()).contains("Operation not permitted");
        // CAP_SYS_ADMIN brings unshare, mount and namespace flags of clone back, as in docker's profile.
        DaemonProcess.Result withCap = run("--cap-add", "SYS_ADMIN", "busybox", "busybox", "unshare", "-U", "true");
        assertThat(withCap.exit()).as(withCap.err()).isZero();
        // The kernel itself lets anyone make a user namespace: it is the profile that said no.
        DaemonProcess.Result unconfined = run("--security-opt", "seccomp=unconfined", "busybox", "busybox", "unshare", "-U", "true");
        assertThat(unconfined.exit()).as(unconfined.err()).isZero();
        // Ordinary work is untouched: fork, exec, files, pipes.
        assertThat(run("busybox", "sh", "-c", "mkdir /tmp/d && echo ok | cat > /tmp/d/f && cat /tmp/d/f").out()).isEqualTo("ok\n");
    }

    @Test
    void aProfileFileInDockersFormatIsApplied() throws Exception {
        Path profile = tmp.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                             {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "comment": "no new directories"},
                              {"name": "rmdir", "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}
                """);
        DaemonProcess.Result r = run("--security-opt", "seccomp=" + profile, "busybox", "sh", "-c", "mkdir /x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Operation not permitted");
        // The rmdir rule is only for containers with CAP_SYS_ADMIN: this one may still rmdir.
        assertThat(run("--security-opt", "seccomp=" + profile, "busybox", "busybox", "rmdir", "/root").exit()).isZero();
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
        DaemonProcess.Result refused = run("--security-opt", "seccomp=" + bad, "busybox", "true");
        assertThat(refused.exit()).isEqualTo(125);
        assertThat(refused.err()).contains("'name' and 'names' were specified in the seccomp profile");
    }
}
