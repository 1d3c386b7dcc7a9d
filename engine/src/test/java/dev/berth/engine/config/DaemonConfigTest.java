package dev.berth.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsDockerdsDaemonJsonKeys() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, """
                {"data-root":"/srv/berth","registry-mirrors":["http://127.0.0.1:5000"],
                 "insecure-registries":["10.0.0.1:5000"],"default-ulimits":{"nofile":{"Name":"nofile","Soft":1024,"Hard":2048}},
                 "log-opts":{"max-size":"10m","max-file":"3"},"live-restore":true,"debug":true,"features":{"buildkit":true}}""");
        DaemonConfig c = DaemonConfig.load(file);
        assertThat(c.dataRootPath()).isEqualTo(Path.of("/srv/berth"));
        assertThat(c.execRootPath()).isEqualTo(Path.of("/run/berth"));
        assertThat(c.registryMirrors()).containsExactly("http://127.0.0.1:5000");
        assertThat(c.defaultUlimits().get("nofile").hard()).isEqualTo(2048);
        assertThat(c.logMaxBytes()).isEqualTo(10L << 20);
        assertThat(c.logMaxFiles()).isEqualTo(3);
        assertThat(c.liveRestoreEnabled()).isTrue();
        assertThat(c.socketPath()).isEqualTo(Path.of("/run/berth/berth.sock"));
    }

    @Test
    void flagsOverrideTheFileAndAMissingFileIsTheDefaults() {
        DaemonConfig c = DaemonConfig.load(dir.resolve("absent.json")).withOverrides("/d", null, List.of("unix:///tmp/b.sock"), "docker");
        assertThat(c.dataRootPath()).isEqualTo(Path.of("/d"));
        assertThat(c.socketPath()).isEqualTo(Path.of("/tmp/b.sock"));
        assertThat(c.socketGroup()).isEqualTo("docker");
    }

    @Test
    void theDefaultBridgeAndOurTableAreConfigurable() throws Exception {
        assertThat(DaemonConfig.defaults().bridgeName()).isEqualTo("berth0");
        assertThat(DaemonConfig.defaults().nftTableName()).isEqualTo("berth");
        Path file = dir.resolve("net.json");
        Files.writeString(file, "{\"bridge\": \"bt-1.a\"}");
        DaemonConfig c = DaemonConfig.load(file).withOverrides("/d", null, null, null);
        assertThat(c.bridgeName()).isEqualTo("bt-1.a");
        assertThat(c.nftTableName()).isEqualTo("berth_bt_1_a");
        Files.writeString(file, "{\"bridge\": \"bt1\", \"berth-nft-table\": \"mine\"}");
        assertThat(DaemonConfig.load(file).nftTableName()).isEqualTo("mine");
    }

    @Test
    void badInputNamesTheProblem() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"debug\": ");
        assertThatThrownBy(() -> DaemonConfig.load(file)).isInstanceOf(EngineException.class)
                .hasMessageContaining("unable to configure the daemon with file " + file);
        assertThatThrownBy(() -> DaemonConfig.defaults().withOverrides(null, null, List.of("tcp://0.0.0.0:2375"), null).socketPath())
                .hasMessageContaining("only unix:// sockets are served");
        assertThat(ByteSize.parse("1.5g", "x")).isEqualTo((long) (1.5 * (1L << 30)));
        assertThatThrownBy(() -> ByteSize.parse("10x", "log-opts.max-size")).hasMessage("log-opts.max-size: invalid size: '10x'");
        Path none = Files.writeString(dir.resolve("none.json"), "{\"bridge\": \"none\"}");
        assertThatThrownBy(() -> DaemonConfig.load(none).bridgeName())
                .hasMessage("bridge \"none\" (no default bridge network) is not supported by berth");
    }
}
