package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.flags.FlagParser;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.GoJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateRequestTest {
    private static Map<String, Object> build(String... argv) throws Exception {
        ParsedArgs a = FlagParser.parse(RunFlags.run(), List.of(argv), false);
        return CreateRequest.build(a, a.bool("detach"), Map.of("FROM_HOST", "h"));
    }

    @Test
    void commandImageAndProcessOptions() throws Exception {
        Map<String, Object> c = build("--rm", "-e", "A=1", "-e", "FROM_HOST", "-e", "UNSET", "-w", "/tmp", "-u", "65534",
                "--entrypoint", "/bin/sh", "--name", "x", "--init", "--read-only", "busybox", "-c", "echo hi");
        assertThat(c.get("Image")).isEqualTo("busybox");
        assertThat(c.get("Cmd")).isEqualTo(List.of("-c", "echo hi"));
        assertThat(c.get("Entrypoint")).isEqualTo(List.of("/bin/sh"));
        assertThat(c.get("Env")).isEqualTo(List.of("A=1", "FROM_HOST=h", "UNSET"));
        assertThat(c.get("WorkingDir")).isEqualTo("/tmp");
        assertThat(c.get("User")).isEqualTo("65534");
        assertThat(c.get("AttachStdout")).isEqualTo(true);
        Map<?, ?> host = (Map<?, ?>) c.get("HostConfig");
        assertThat(host.get("AutoRemove")).isEqualTo(true);
        assertThat(host.get("Init")).isEqualTo(true);
        assertThat(host.get("ReadonlyRootfs")).isEqualTo(true);
        assertThat(host.get("RestartPolicy")).isEqualTo(Map.of("Name", "no", "MaximumRetryCount", 0));
    }

    @Test
    void resourcesSecurityRestartAndHealth() throws Exception {
        Map<String, Object> c = build("-d", "-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "--pids-limit", "100",
                "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--restart", "on-failure:3",
                "--health-cmd", "true", "--health-interval", "1m30s", "--health-retries", "2", "-p", "127.0.0.1:8080:80",
                "--ulimit", "nofile=1024:2048", "busybox");
        Map<?, ?> host = (Map<?, ?>) c.get("HostConfig");
        assertThat(host.get("Memory")).isEqualTo(64L << 20);
        assertThat(host.get("MemorySwap")).isEqualTo(-1L);
        assertThat(host.get("NanoCpus")).isEqualTo(1_500_000_000L);
        assertThat(host.get("PidsLimit")).isEqualTo(100L);
        assertThat(host.get("CapAdd")).isEqualTo(List.of("NET_ADMIN"));
        assertThat(host.get("CapDrop")).isEqualTo(List.of("ALL"));
        assertThat(host.get("SecurityOpt")).isEqualTo(List.of("no-new-privileges"));
        assertThat(host.get("RestartPolicy")).isEqualTo(Map.of("Name", "on-failure", "MaximumRetryCount", 3));
        assertThat(GoJson.compact(host.get("PortBindings"))).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}");
        assertThat(GoJson.compact(host.get("Ulimits"))).contains("\"Soft\":1024").contains("\"Hard\":2048");
        assertThat(c.get("Healthcheck")).isEqualTo(Map.of("Test", List.of("CMD-SHELL", "true"), "Interval", 90_000_000_000L, "Retries", 2));
        assertThat(c.get("AttachStdout")).isEqualTo(false);
    }

    @Test
    void networkOptionsGoToHostConfigAndTheEndpoint() throws Exception {
        Map<String, Object> c = build("--network", "appnet", "--ip", "10.5.0.9", "--network-alias", "web", "--network-alias", "www",
                "-P", "--dns", "1.1.1.1", "--dns-search", "example.com", "--dns-option", "ndots:2", "--add-host", "db:10.5.0.2",
                "busybox");
        Map<?, ?> host = (Map<?, ?>) c.get("HostConfig");
        assertThat(host.get("NetworkMode")).isEqualTo("appnet");
        assertThat(host.get("PublishAllPorts")).isEqualTo(true);
        assertThat(host.get("Dns")).isEqualTo(List.of("1.1.1.1"));
        assertThat(host.get("DnsSearch")).isEqualTo(List.of("example.com"));
        assertThat(host.get("DnsOptions")).isEqualTo(List.of("ndots:2"));
        assertThat(host.get("ExtraHosts")).isEqualTo(List.of("db:10.5.0.2"));
        assertThat(GoJson.compact(c.get("NetworkingConfig"))).isEqualTo(
                "{\"EndpointsConfig\":{\"appnet\":{\"Aliases\":[\"web\",\"www\"],\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.9\"}}}}");
        assertThat(build("busybox").get("NetworkingConfig")).isNull();
    }

    @Test
    void conflictsAreRefusedAsDockerDoes() {
        assertThatThrownBy(() -> build("--rm", "--restart", "always", "busybox")).hasMessage("conflicting options: cannot specify both --restart and --rm");
        assertThatThrownBy(() -> build("-d", "-a", "stdout", "busybox")).hasMessage("conflicting options: cannot specify both --attach and --detach");
        assertThatThrownBy(() -> build("-m", "lots", "busybox")).hasMessageContaining("invalid size: 'lots'");
        assertThatThrownBy(() -> build("--restart", "sometimes", "busybox")).hasMessage("invalid restart policy 'sometimes'");
    }

    @Test
    void startFailuresMapToDockersExitCodes() {
        assertThat(RunCommand.startExitCode("exec: \"x\": executable file not found in $PATH")).isEqualTo(127);
        assertThat(RunCommand.startExitCode("exec /etc/passwd: permission denied")).isEqualTo(126);
        assertThat(RunCommand.startExitCode("cgroup: no space left")).isEqualTo(125);
    }

    @Test
    void unitsAsGoUnits() throws Exception {
        assertThat(Units.humanSize(2_011_000)).isEqualTo("2.01MB");
        assertThat(Units.humanSize(100)).isEqualTo("100B");
        assertThat(Units.humanSize(4_000_000)).isEqualTo("4MB");
        assertThat(Units.humanDuration(1)).isEqualTo("1 second");
        assertThat(Units.humanDuration(90)).isEqualTo("About a minute");
        assertThat(Units.humanDuration(3 * 86400)).isEqualTo("3 days");
        assertThat(Units.ramInBytes("m", "1g")).isEqualTo(1L << 30);
        assertThat(Units.goDuration("d", "1m30s")).isEqualTo(90_000_000_000L);
        assertThat(Units.goDuration("d", "500ms")).isEqualTo(500_000_000L);
    }
}
