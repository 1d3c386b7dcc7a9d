package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ExecConfig;
import dev.berth.oci.runtime.Spec;
import dev.berth.sys.FileStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of exec, top and cp: what a process gets, how ps output is read, how paths and modes are shown. */
class ContainerToolsUnitTest {
    @TempDir
    Path rootfs;

    private static final Spec.Process CONTAINER = new Spec.Process(false, null, new Spec.User(0L, 0L, null, List.of(), null),
            List.of("sleep", "600"), null, List.of("PATH=/bin", "HOSTNAME=boxy", "X=container"), "/",
            new Spec.Capabilities(List.of("CAP_CHOWN"), List.of("CAP_CHOWN"), List.of(), List.of("CAP_CHOWN"), List.of()),
            null, true, null, null, null, null, null);

    private static ExecConfig exec(List<String> env, String user, String workdir, boolean tty, boolean privileged) {
        return new ExecConfig(false, true, true, tty ? List.of(24, 80) : null, null, tty, env, List.of("sh", "-c", "true"),
                privileged, user, workdir);
    }

    @Test
    void anExecInheritsTheContainersProcessAndOverridesWhatItAsks() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1001:\nextra:x:2000:app\n");
        Spec.Process p = ExecProcessSpec.of(CONTAINER, exec(List.of("X=exec", "Y=1"), "app", "/tmp", true, false), null, rootfs,
                List.of("CAP_CHOWN", "CAP_SYS_ADMIN"));
        assertThat(p.args()).containsExactly("sh", "-c", "true");
        assertThat(p.env()).containsExactly("PATH=/bin", "HOSTNAME=boxy", "X=exec", "TERM=xterm", "Y=1");
        assertThat(p.cwd()).isEqualTo("/tmp");
        assertThat(p.user().uid()).isEqualTo(1000L);
        assertThat(p.user().gid()).isEqualTo(1001L);
        assertThat(p.user().additionalGids()).containsExactly(2000L);
        assertThat(p.terminal()).isTrue();
        assertThat(p.consoleSize()).isEqualTo(new Spec.Box(24, 80));
        assertThat(p.capabilities().effective()).containsExactly("CAP_CHOWN");
        assertThat(p.noNewPrivileges()).isTrue();

        Spec.Process plain = ExecProcessSpec.of(CONTAINER, exec(null, null, null, false, true), null, rootfs,
                List.of("CAP_CHOWN", "CAP_SYS_ADMIN"));
        assertThat(plain.cwd()).isEqualTo("/");
        assertThat(plain.user()).isEqualTo(CONTAINER.user());
        assertThat(plain.env()).containsExactly("PATH=/bin", "HOSTNAME=boxy", "X=container");
        assertThat(plain.capabilities().bounding()).containsExactly("CAP_CHOWN", "CAP_SYS_ADMIN");
    }

    @Test
    void anUnknownExecUserIsDockersError() {
        assertThatThrownBy(() -> ExecProcessSpec.of(CONTAINER, exec(null, "nobody-here", null, false, false), null, rootfs, List.of()))
                .isInstanceOf(EngineException.class).hasMessageContaining("unable to find user nobody-here");
    }

    @Test
    void psOutputIsFilteredToTheContainersPids() {
        String ps = """
                UID          PID    PPID  C STIME TTY          TIME CMD
                root           1       0  0 10:00 ?        00:00:01 /sbin/init splash
                root         812     700  0 10:01 ?        00:00:00 sleep 600
                root         813     812  0 10:01 pts/0    00:00:00 sh -c echo a  b
                """;
        ContainerTop.Top top = ContainerTop.parse(ps, Set.of(812, 813));
        assertThat(top.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(top.processes()).hasSize(2);
        assertThat(top.processes().get(1)).containsExactly("root", "813", "812", "0", "10:01", "pts/0", "00:00:00", "sh -c echo a  b");
        assertThatThrownBy(() -> ContainerTop.parse("USER COMMAND\nroot x\n", Set.of(1)))
                .hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void pathsAndModesAreShownAsDockerShowsThem() {
        assertThat(ContainerArchive.absolute("etc//passwd")).isEqualTo("/etc/passwd");
        assertThat(ContainerArchive.baseName("/etc/passwd")).isEqualTo("passwd");
        assertThat(ContainerArchive.baseName("/etc/")).isEqualTo("etc");
        assertThat(ContainerArchive.baseName("/etc/.")).isEqualTo(".");
        assertThat(ContainerArchive.baseName("/")).isEqualTo("/");
        assertThat(ContainerArchive.goMode(stat(FileStat.S_IFDIR | 0755))).isEqualTo((1L << 31) | 0755);
        assertThat(ContainerArchive.goMode(stat(FileStat.S_IFLNK | 0777))).isEqualTo((1L << 27) | 0777);
        assertThat(ContainerArchive.goMode(stat(FileStat.S_IFREG | 04755))).isEqualTo((1L << 23) | 0755);
        assertThat(ContainerArchive.goMode(stat(FileStat.S_IFCHR | 0666))).isEqualTo((1L << 26) | (1L << 21) | 0666);
    }

    private static FileStat stat(int mode) {
        return new FileStat(mode, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
