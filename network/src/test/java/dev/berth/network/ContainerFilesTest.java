package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerFilesTest {
    private static final String HOST = "nameserver 127.0.0.53\nnameserver 10.1.1.1\nsearch corp.example\noptions edns0\n";

    @Test
    void aUserDefinedNetworkUsesTheEmbeddedServer() {
        assertThat(ContainerFiles.resolvConf(true, List.of(), List.of(), List.of(), HOST))
                .isEqualTo("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0 edns0\n");
    }

    @Test
    void theDefaultBridgeCopiesTheHostsResolversWithoutLoopbackOnes() {
        assertThat(ContainerFiles.resolvConf(false, List.of(), List.of(), List.of(), HOST))
                .isEqualTo("nameserver 10.1.1.1\nsearch corp.example\noptions edns0\n");
        assertThat(ContainerFiles.resolvConf(false, List.of("9.9.9.9"), List.of("a.example"), List.of("ndots:2"), HOST))
                .isEqualTo("nameserver 9.9.9.9\nsearch a.example\noptions ndots:2\n");
    }

    @Test
    void hostsHasLocalhostExtraHostsAndTheContainersAddresses() {
        Endpoint e = new Endpoint("ep1", "n", "c", "web", "/proc/1/ns/net", Ipv4.parse("172.18.0.2"), 16, Ipv4.parse("172.18.0.1"),
                "02:42:ac:12:00:02", "bv1", "eth0", List.of(), List.of(), List.of());
        String hosts = ContainerFiles.hosts("abc123", List.of(e), List.of("db.local:10.0.0.5"));
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .contains("10.0.0.5\tdb.local\n")
                .endsWith("172.18.0.2\tabc123\n");
    }
}
