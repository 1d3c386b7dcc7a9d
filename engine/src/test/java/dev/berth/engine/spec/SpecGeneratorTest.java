package dev.berth.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker's container settings to config.json, read without running anything. */
class SpecGeneratorTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\naudio:x:29:app\n");
    }

    private static ContainerConfig config(String json) {
        return Json.parse(json, ContainerConfig.class);
    }

    private static HostConfig host(String json) {
        return Json.parse(json, HostConfig.class);
    }

    private static final ImageConfig IMAGE = Json.parse("""
            {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/custom/bin","LANG=C"],
             "Entrypoint":["/entry"],"Cmd":["default-arg"],"WorkingDir":"/work","User":"app"}}""", ImageConfig.class);

    private Spec generate(String config, String host) {
        return SpecGenerator.generate(new SpecRequest("0123456789abcdef", config(config), host(host), IMAGE, rootfs,
                null, List.of("CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_KILL"), false, "/berth/0123456789abcdef"));
    }

    @Test
    void argsFollowDockersEntrypointAndCmdRules() {
        assertThat(generate("{}", "{}").process().args()).containsExactly("/entry", "default-arg");
        assertThat(generate("{\"Cmd\":[\"x\"]}", "{}").process().args()).containsExactly("/entry", "x");
        assertThat(generate("{\"Entrypoint\":[\"sh\"]}", "{}").process().args()).containsExactly("sh");
        assertThat(generate("{\"Entrypoint\":[\"sh\"],\"Cmd\":[\"-c\",\"true\"]}", "{}").process().args())
                .containsExactly("sh", "-c", "true");
        assertThatThrownBy(() -> SpecGenerator.generate(new SpecRequest("abc", config("{\"Entrypoint\":[]}"), host("{}"),
                null, rootfs, null, List.of(), false, "/x"))).isInstanceOf(EngineException.class).hasMessage("no command specified");
    }

    @Test
    void environmentMergesImageThenCreateAndAddsHostname() {
        Spec s = generate("{\"Env\":[\"LANG=en\",\"EXTRA=1\"],\"Tty\":true}", "{}");
        assertThat(s.process().env()).containsExactly("PATH=/custom/bin", "HOSTNAME=0123456789ab", "LANG=en", "EXTRA=1", "TERM=xterm");
        assertThat(s.hostname()).isEqualTo("0123456789ab");
        assertThat(s.process().cwd()).isEqualTo("/work");
        assertThat(s.process().terminal()).isTrue();
    }

    @Test
    void usersResolveAgainstTheContainersOwnFiles() {
        Spec.User app = generate("{}", "{\"GroupAdd\":[\"root\"]}").process().user();
        assertThat(app.uid()).isEqualTo(1000);
        assertThat(app.gid()).isEqualTo(1000);
        assertThat(app.additionalGids()).containsExactly(29L, 0L);
        assertThat(generate("{\"User\":\"1234:55\"}", "{}").process().user().uid()).isEqualTo(1234);
        assertThatThrownBy(() -> generate("{\"User\":\"nobody\"}", "{}"))
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
    }

    @Test
    void capabilitiesStartFromDockersSetAndFollowAddDropAndPrivileged() {
        List<String> defaults = generate("{}", "{}").process().capabilities().bounding();
        assertThat(defaults).hasSize(14).contains("CAP_NET_RAW", "CAP_MKNOD").doesNotContain("CAP_SYS_ADMIN");
        List<String> changed = generate("{}", "{\"CapAdd\":[\"sys_admin\"],\"CapDrop\":[\"NET_RAW\"]}").process().capabilities().effective();
        assertThat(changed).contains("CAP_SYS_ADMIN").doesNotContain("CAP_NET_RAW");
        assertThat(generate("{}", "{\"CapDrop\":[\"ALL\"],\"CapAdd\":[\"KILL\"]}").process().capabilities().bounding())
                .containsExactly("CAP_KILL");
        Spec privileged = generate("{}", "{\"Privileged\":true}");
        assertThat(privileged.process().capabilities().bounding()).containsExactly("CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_KILL");
        assertThat(privileged.linux().maskedPaths()).isNull();
        assertThat(privileged.linux().resources().devices()).containsExactly(new Spec.DeviceCgroup(true, "a", null, null, "rwm"));
    }

    @Test
    void namespaceModes() {
        assertThat(generate("{}", "{}").linux().namespaces()).extracting(Spec.Namespace::type)
                .containsExactly("mount", "pid", "ipc", "uts", "network");
        assertThat(generate("{}", "{\"NetworkMode\":\"host\",\"PidMode\":\"host\"}").linux().namespaces())
                .extracting(Spec.Namespace::type).containsExactly("mount", "ipc", "uts");
    }

    @Test
    void resourcesUseDockersConversions() {
        Spec.Resources r = generate("{}", "{\"Memory\":67108864,\"NanoCpus\":1500000000,\"PidsLimit\":20,\"CpuShares\":512}")
                .linux().resources();
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.memory().swap()).isEqualTo(128L << 20); // unset swap: as much again
        assertThat(r.cpu().quota()).isEqualTo(150_000);
        assertThat(r.cpu().period()).isEqualTo(100_000);
        assertThat(r.cpu().shares()).isEqualTo(512);
        assertThat(r.pids().limit()).isEqualTo(20);
        assertThat(generate("{}", "{\"Memory\":1000,\"MemorySwap\":-1}").linux().resources().memory().swap()).isEqualTo(-1);
    }

    @Test
    void mountsHaveDockersDefaultsThenTheUsersOnTop() {
        Spec s = generate("{}", "{\"Binds\":[\"/data:/data:ro\"],\"Tmpfs\":{\"/run\":\"size=1m\"},\"ShmSize\":1048576,\"ReadonlyRootfs\":true}");
        assertThat(s.mounts()).extracting(Spec.Mount::destination)
                .containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/run", "/data");
        assertThat(s.mounts().get(6).options()).contains("size=1048576");
        assertThat(s.mounts().get(8).options()).containsExactly("rbind", "ro", "rprivate");
        assertThat(s.root().readonly()).isTrue();
        assertThatThrownBy(() -> generate("{}", "{\"Binds\":[\"/data:rw\"]}")).hasMessage("invalid volume specification: '/data:rw'");
    }

    @Test
    void securityOptions() {
        assertThat(generate("{}", "{\"SecurityOpt\":[\"no-new-privileges\"]}").process().noNewPrivileges()).isTrue();
        Spec s = generate("{}", "{\"SecurityOpt\":[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ERRNO\\\"}\"]}");
        assertThat(s.linux().seccomp().defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(generate("{}", "{\"SecurityOpt\":[\"seccomp=unconfined\"]}").linux().seccomp()).isNull();
    }

    @Test
    void dockersDefaultSeccompProfileUnlessUnconfinedOrPrivileged() {
        Spec.Seccomp profile = generate("{}", "{}").linux().seccomp();
        assertThat(profile.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(profile.syscalls()).flatExtracting(Spec.Syscall::names).contains("read", "execve").doesNotContain("unshare", "mount");
        // CapAdd SYS_ADMIN: the rules docker's profile keeps for that capability come in.
        assertThat(generate("{}", "{\"CapAdd\":[\"SYS_ADMIN\"]}").linux().seccomp().syscalls())
                .flatExtracting(Spec.Syscall::names).contains("unshare", "mount");
        assertThat(generate("{}", "{\"Privileged\":true}").linux().seccomp()).isNull();
    }
}
