package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What berth does not serve answers the docker CLI as a dockerd without it would: no swarm
 * (503, docker's own words), no plugins (an empty list), no builder (501 naming it, and an empty
 * build cache for system prune), no registry search (501).
 */
@Tag("root")
class DockerUnservedTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
    }

    @AfterAll
    static void stop() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    @Test
    void swarmCommandsSayThisNodeIsNotASwarmManager() throws Exception {
        for (String[] command : new String[][] {{"node", "ls"}, {"service", "ls"}, {"secret", "ls"}, {"config", "ls"}}) {
            DaemonProcess.Result r = daemon.docker(command);
            assertThat(r.exit()).as(command[0]).isEqualTo(1);
            assertThat(r.err()).as(command[0]).contains("This node is not a swarm manager. Use \"docker swarm init\"");
        }
    }

    @Test
    void pluginLsListsNone() throws Exception {
        DaemonProcess.Result r = daemon.docker("plugin", "ls");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ID        NAME      DESCRIPTION   ENABLED\n");
    }

    @Test
    void buildAndSearchAreRefusedByName() throws Exception {
        DaemonProcess.Result search = daemon.docker("search", "busybox");
        assertThat(search.exit()).isEqualTo(1);
        assertThat(search.err()).contains("image search is not supported by this daemon");
        DaemonProcess.Result build = daemon.api("POST", "/build", null);
        assertThat(build.exit()).isEqualTo(501); // the HTTP status
        assertThat(build.out()).contains("image build (docker build) is not implemented by berth yet");
    }
}
