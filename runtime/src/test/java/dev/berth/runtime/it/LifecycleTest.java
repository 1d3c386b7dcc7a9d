package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.runtime.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The OCI lifecycle through berth-runtime's command line (root, real kernel). */
class LifecycleTest extends ContainerTest {
    JsonNode state() throws Exception {
        RuntimeCli.Result r = cli.run("state", id);
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.mapper().readTree(r.out());
    }

    void create() throws Exception {
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    void awaitStatus(String status) throws Exception {
        for (int i = 0; i < 500 && !state().get("status").asText().equals(status); i++) {
            Thread.sleep(20);
        }
        assertThat(state().get("status").asText()).isEqualTo(status);
    }

    @Test
    void createStopsBeforeTheProgramAndStartReleasesIt() throws Exception {
        bundle.args("sh", "-c", "touch /started; sleep 100").write();
        create();
        JsonNode created = state();
        assertThat(created.get("status").asText()).isEqualTo("created");
        assertThat(created.get("id").asText()).isEqualTo(id);
        assertThat(created.get("bundle").asText()).isEqualTo(bundle.dir.toString());
        int pid = created.get("pid").asInt();
        assertThat(Path.of("/proc/" + pid)).exists();
        Thread.sleep(200);
        assertThat(bundle.rootfs().resolve("started")).doesNotExist();

        assertThat(cli.run("start", id).exit()).isZero();
        assertThat(state().get("status").asText()).isEqualTo("running");
        for (int i = 0; i < 200 && !Files.exists(bundle.rootfs().resolve("started")); i++) {
            Thread.sleep(10);
        }
        assertThat(bundle.rootfs().resolve("started")).exists();
        assertThat(cli.run("start", id).err()).contains("cannot start an already running container");
    }

    @Test
    void killStopsAndDeleteLeavesNothingBehind() throws Exception {
        bundle.args("sleep", "100").write();
        create();
        int pid = state().get("pid").asInt();
        cli.run("start", id);
        RuntimeCli.Result refused = cli.run("delete", id);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("cannot delete container " + id + " that is not stopped: running");

        assertThat(cli.run("kill", id, "KILL").exit()).isZero();
        awaitStatus("stopped");
        assertThat(cli.run("kill", id, "KILL").err()).contains("container not running");
        assertThat(cli.run("delete", id).exit()).isZero();

        assertThat(Path.of("/proc/" + pid)).doesNotExist();
        assertThat(cli.root.resolve(id)).doesNotExist();
        assertThat(Leaks.cgroupDirs(id)).isEmpty();
        assertThat(cli.run("state", id).err()).contains("container does not exist");
    }

    @Test
    void killAcceptsSignalNamesAndNumbersAndTheProgramSeesThem() throws Exception {
        bundle.args("sh", "-c", "trap 'echo got-usr1 > /trapped' USR1; while :; do sleep 0.05; done").write();
        create();
        cli.run("start", id);
        Thread.sleep(300);
        assertThat(cli.run("kill", id, "SIGUSR1").exit()).isZero();
        for (int i = 0; i < 200 && !Files.exists(bundle.rootfs().resolve("trapped")); i++) {
            Thread.sleep(10);
        }
        assertThat(bundle.rootfs().resolve("trapped")).content().contains("got-usr1");
        assertThat(cli.run("kill", id, "9").exit()).isZero();
        awaitStatus("stopped");
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        bundle.args("sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /count; sleep 0.02; done").write();
        create();
        cli.run("start", id);
        Thread.sleep(300);
        assertThat(cli.run("pause", id).exit()).isZero();
        assertThat(state().get("status").asText()).isEqualTo("paused");
        String frozen = Files.readString(bundle.rootfs().resolve("count"));
        Thread.sleep(300);
        assertThat(Files.readString(bundle.rootfs().resolve("count"))).isEqualTo(frozen);
        assertThat(cli.run("resume", id).exit()).isZero();
        assertThat(state().get("status").asText()).isEqualTo("running");
        Thread.sleep(300);
        assertThat(Files.readString(bundle.rootfs().resolve("count"))).isNotEqualTo(frozen);
        assertThat(cli.run("delete", "--force", id).exit()).isZero();
    }

    @Test
    void listAndPsShowTheContainer() throws Exception {
        bundle.args("sh", "-c", "sleep 100 & sleep 100; true").write();
        create();
        cli.run("start", id);
        Thread.sleep(200);
        RuntimeCli.Result list = cli.run("list");
        assertThat(list.out()).startsWith("ID").contains(id).contains("running");
        JsonNode json = Json.mapper().readTree(cli.run("list", "--format", "json").out());
        assertThat(json.get(0).get("id").asText()).isEqualTo(id);
        assertThat(cli.run("list", "-q").out().trim()).isEqualTo(id);
        JsonNode pids = Json.mapper().readTree(cli.run("ps", "--format", "json", id).out());
        assertThat(pids.size()).isEqualTo(3);
        assertThat(cli.run("ps", id).out()).contains("PID").contains("sleep 100");
    }

    @Test
    void userNamespaceRootIsAPlainUserOnTheHost() throws Exception {
        Permissions.openToAll(tmp, bundle.dir);
        bundle.linux().withArray("namespaces").addObject().put("type", "user");
        bundle.linux().putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        bundle.linux().putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        bundle.args("sleep", "100").write();
        create();
        cli.run("start", id);
        int pid = state().get("pid").asInt();
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertThat(status).containsPattern("Uid:\\s+100000\\s+100000\\s+100000\\s+100000");
    }

    @Test
    void runDetachedLeavesItRunning() throws Exception {
        bundle.args("sleep", "100").write();
        RuntimeCli.Result r = cli.run("run", "--detach", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(state().get("status").asText()).isEqualTo("running");
    }

    @Test
    void pidFileHoldsTheContainersHostPid() throws Exception {
        Path pidFile = tmp.resolve("pid");
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(pidFile).trim()).isEqualTo(state().get("pid").asText());
    }
}
