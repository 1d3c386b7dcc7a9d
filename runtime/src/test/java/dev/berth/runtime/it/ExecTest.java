package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `exec`: a second process in a running container's namespaces and cgroup (root, real kernel). */
class ExecTest extends ContainerTest {
    @BeforeEach
    void runAContainer() throws Exception {
        bundle.args("sleep", "100");
        bundle.config.put("hostname", "exec-box");
        bundle.write();
        RuntimeCli.Result r = cli.run("run", "--detach", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void execJoinsTheContainersNamespaces() throws Exception {
        RuntimeCli.Result r = cli.run("exec", id, "sh", "-c", "hostname; ps -o pid,comm | grep -w sleep");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        assertThat(lines[0]).isEqualTo("exec-box");
        // The container's init is pid 1 in the pid namespace the exec'd process joined.
        assertThat(lines[1].trim()).startsWith("1 ");
    }

    @Test
    void execRunsInTheContainersCgroup() throws Exception {
        RuntimeCli.Result r = cli.run("exec", "--detach", "--pid-file", tmp.resolve("exec.pid").toString(), id, "sleep", "30");
        assertThat(r.exit()).as(r.err()).isZero();
        String pid = Files.readString(tmp.resolve("exec.pid")).trim();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/cgroup"))).contains("pids:/" + id);
        assertThat(cli.run("ps", "--format", "json", id).out()).contains(pid);
    }

    @Test
    void execFlagsSetUserEnvAndCwdAndTheExitCodeComesBack() throws Exception {
        RuntimeCli.Result r = cli.run("exec", "--env", "GREETING=hi", "--user", "65534:65534", "--cwd", "/tmp", id,
                "sh", "-c", "echo $GREETING; id -u; pwd; exit 5");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.out().trim().split("\n")).containsExactly("hi", "65534", "/tmp");
    }

    @Test
    void execOfAMissingProgramFailsClearly() throws Exception {
        RuntimeCli.Result r = cli.run("exec", id, "no-such-program");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("exec: \\\"no-such-program\\\": executable file not found in $PATH");
    }

    @Test
    void execWithAProcessJson() throws Exception {
        Path process = tmp.resolve("process.json");
        Files.writeString(process, "{\"args\":[\"sh\",\"-c\",\"echo from-json $X\"],\"env\":[\"X=1\",\"PATH=/bin\"],\"cwd\":\"/\"}");
        RuntimeCli.Result r = cli.run("exec", "--process", process.toString(), id);
        assertThat(r.out().trim()).as(r.err()).isEqualTo("from-json 1");
    }

    @Test
    void execInAStoppedContainerIsRefused() throws Exception {
        cli.run("kill", id, "KILL");
        for (int i = 0; i < 200 && !cli.run("state", id).out().contains("stopped"); i++) {
            Thread.sleep(20);
        }
        assertThat(cli.run("exec", id, "true").err()).contains("cannot exec in a stopped state");
    }
}
