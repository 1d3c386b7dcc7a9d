package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.runtime.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OCI hooks at their lifecycle points, with the state JSON on stdin (root, real kernel). */
class HooksTest extends ContainerTest {
    Path log;

    @BeforeEach
    void sleepingProgram() throws Exception {
        bundle.args("sleep", "100");
        log = tmp.resolve("hooks.log");
    }

    /** A hook script that appends "<name> <state json>" to the log. */
    private void hook(String kind, String name, String body) throws Exception {
        Path script = tmp.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ObjectNode hooks = bundle.config.has("hooks") ? (ObjectNode) bundle.config.get("hooks") : bundle.config.putObject("hooks");
        ObjectNode h = hooks.withArray(kind).addObject().put("path", script.toString());
        h.putArray("args").add(name).add("extra-arg");
        h.putArray("env").add("HOOK_NAME=" + name);
        h.put("timeout", 2);
    }

    @Test
    void hooksRunInOrderWithTheStateOnStdin() throws Exception {
        for (String kind : new String[] {"prestart", "createRuntime", "poststart", "poststop"}) {
            hook(kind, kind, "echo \"$HOOK_NAME $1 $(cat)\" >> " + log);
        }
        bundle.write();
        assertThat(cli.run("create", "--bundle", bundle.dir.toString(), id).exit()).isZero();
        assertThat(cli.run("start", id).exit()).isZero();
        assertThat(cli.run("delete", "--force", id).exit()).isZero();
        var lines = Files.readAllLines(log);
        assertThat(lines).extracting(l -> l.split(" ")[0]).containsExactly("prestart", "createRuntime", "poststart", "poststop");
        assertThat(lines.get(0).split(" ")[1]).isEqualTo("extra-arg");
        JsonNode state = Json.mapper().readTree(lines.get(0).substring(lines.get(0).indexOf('{')));
        assertThat(state.get("id").asText()).isEqualTo(id);
        assertThat(state.get("status").asText()).isEqualTo("creating");
        assertThat(state.get("pid").asInt()).isPositive();
        assertThat(state.get("bundle").asText()).isEqualTo(bundle.dir.toString());
        assertThat(Json.mapper().readTree(lines.get(2).substring(lines.get(2).indexOf('{'))).get("status").asText()).isEqualTo("running");
        assertThat(Json.mapper().readTree(lines.get(3).substring(lines.get(3).indexOf('{'))).get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void containerHooksRunInTheContainersNamespaces() throws Exception {
        // createContainer runs before the root switch: the host's paths, but the container's
        // namespaces (a new network namespace holds only lo). startContainer runs after the
        // switch: the container's root and hostname.
        bundle.config.put("hostname", "hooked");
        hook("createContainer", "cc", "echo \"cc $(grep -c : /proc/net/dev) $(grep -c : /proc/" + ProcessHandle.current().pid()
                + "/net/dev)\" >> " + log);
        Path inContainer = bundle.rootfs().resolve("hook-ran");
        Path script = tmp.resolve("sc.sh");
        Files.writeString(bundle.rootfs().resolve("sc.sh"), "#!/bin/sh\necho \"sc $(hostname) $(cat)\" > /hook-ran\n");
        Files.setPosixFilePermissions(bundle.rootfs().resolve("sc.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ((ObjectNode) bundle.config.get("hooks")).withArray("startContainer").addObject().put("path", "/sc.sh");
        bundle.write();
        assertThat(cli.run("create", "--bundle", bundle.dir.toString(), id).exit()).isZero();
        String[] cc = Files.readString(log).trim().split(" ");
        assertThat(cc[1]).isEqualTo("1");
        assertThat(Integer.parseInt(cc[2])).isGreaterThan(1);
        assertThat(inContainer).doesNotExist();
        RuntimeCli.Result start = cli.run("start", id);
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(Files.readString(inContainer)).startsWith("sc hooked {").contains("\"id\":\"" + id + "\"");
        assertThat(script).doesNotExist();
    }

    @Test
    void aFailingStartContainerHookStopsTheContainer() throws Exception {
        Files.writeString(bundle.rootfs().resolve("bad.sh"), "#!/bin/sh\nexit 4\n");
        Files.setPosixFilePermissions(bundle.rootfs().resolve("bad.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        bundle.config.putObject("hooks").withArray("startContainer").addObject().put("path", "/bad.sh");
        bundle.write();
        assertThat(cli.run("create", "--bundle", bundle.dir.toString(), id).exit()).isZero();
        RuntimeCli.Result start = cli.run("start", id);
        assertThat(start.exit()).isNotZero();
        assertThat(start.err()).contains("hooks.startContainer[0]").contains("exited with status 4");
        for (int i = 0; i < 200 && !cli.run("state", id).out().contains("stopped"); i++) {
            Thread.sleep(20);
        }
        assertThat(cli.run("state", id).out()).contains("stopped");
    }

    @Test
    void aFailingCreateRuntimeHookFailsCreateAndLeavesNothing() throws Exception {
        hook("createRuntime", "bad", "echo refused >&2; exit 3");
        bundle.write();
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("hooks.createRuntime[0]").contains("exited with status 3").contains("refused");
        assertThat(cli.root.resolve(id)).doesNotExist();
    }

    @Test
    void aHookThatOverrunsItsTimeoutIsKilledAndFailsCreate() throws Exception {
        hook("prestart", "slow", "sleep 30");
        bundle.write();
        RuntimeCli.Result r = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("hooks.prestart[0]").contains("timed out after 2s");
        assertThat(cli.root.resolve(id)).doesNotExist();
    }
}
