package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad bundles: one clear line naming the field, a non-zero exit, and nothing left behind. */
class BadInputTest extends ContainerTest {
    /** Runs before the base class's clean-up: the failed create itself must have left nothing. */
    @AfterEach
    void createLeftNothing() throws Exception {
        assertThat(cli.root.resolve(id)).doesNotExist();
        assertThat(Leaks.cgroupDirs(id)).isEmpty();
        assertThat(Leaks.mountsUnder(tmp)).isEmpty();
    }

    private String createFails() throws Exception {
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().trim().split("\n")).as(r.err()).hasSize(1);
        return r.err();
    }

    @Test
    void missingConfig() throws Exception {
        Files.delete(bundle.dir.resolve("config.json"));
        assertThat(createFails()).contains("config.json: not found");
    }

    @Test
    void malformedConfig() throws Exception {
        Files.writeString(bundle.dir.resolve("config.json"), "{\"ociVersion\": \"1.0.0\", \"process\": [");
        assertThat(createFails()).contains("config.json").contains("line 1");
    }

    @Test
    void unknownNamespaceType() throws Exception {
        bundle.linux().withArray("namespaces").addObject().put("type", "bogus");
        bundle.write();
        assertThat(createFails()).contains("linux.namespaces[6].type: unknown namespace type \\\"bogus\\\"");
    }

    @Test
    void mountOfAnUnknownFilesystem() throws Exception {
        bundle.config.withArray("mounts").addObject().put("destination", "/mnt").put("type", "nosuchfs").put("source", "x");
        bundle.write();
        assertThat(createFails()).contains("mount /mnt: no such device (config.json mounts[7])");
    }

    @Test
    void bindMountOfAMissingSource() throws Exception {
        bundle.config.withArray("mounts").addObject().put("destination", "/mnt").put("type", "bind")
                .put("source", "/does/not/exist").putArray("options").add("rbind");
        bundle.write();
        assertThat(createFails()).contains("mounts[7]: bind mount source /does/not/exist does not exist");
    }

    @Test
    void rlimitAboveTheHardLimit() throws Exception {
        bundle.process().putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 1 << 30).put("soft", 1 << 30);
        bundle.write();
        assertThat(createFails()).contains("setrlimit RLIMIT_NOFILE: operation not permitted (config.json process.rlimits[0])");
    }

    @Test
    void missingRootfs() throws Exception {
        bundle.config.with("root").put("path", "nowhere");
        bundle.write();
        assertThat(createFails()).contains("root.path: rootfs " + bundle.dir.resolve("nowhere") + " does not exist");
    }

    @Test
    void programNotFound() throws Exception {
        bundle.args("no-such-program").write();
        assertThat(createFails()).contains("exec: \\\"no-such-program\\\": executable file not found in $PATH");
    }

    @Test
    void duplicateIdIsRefusedAndTheFirstKept() throws Exception {
        bundle.args("sleep", "100").write();
        assertThat(cli.run("create", "--bundle", bundle.dir.toString(), id).exit()).isZero();
        RuntimeCli.Result second = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(second.exit()).isNotZero();
        assertThat(second.err()).contains("container with id exists: " + id);
        assertThat(cli.run("state", id).out()).contains("created");
        assertThat(cli.run("delete", "--force", id).exit()).isZero();
    }
}
