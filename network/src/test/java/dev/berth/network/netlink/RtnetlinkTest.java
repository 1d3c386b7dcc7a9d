package dev.berth.network.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.network.ContainerNetns;
import dev.berth.network.Ipv4;
import dev.berth.network.Subnet;
import dev.berth.sys.Fd;
import dev.berth.sys.Namespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The requests against the real kernel: what `ip` shows afterwards, in the host and in a netns. */
@Tag("root")
class RtnetlinkTest {
    private final String suffix = HexFormat.of().toHexDigits((int) (Math.random() * Integer.MAX_VALUE)).substring(1);

    @Test
    void bridgeAndVethIntoANetnsWithAddressAndDefaultRoute() throws Exception {
        String bridge = "rtb" + suffix, host = "rth" + suffix, peer = "rtp" + suffix;
        try (Rtnetlink nl = Rtnetlink.open(); ContainerNetns ns = ContainerNetns.start()) {
            try {
                int index = nl.createBridge(bridge);
                assertThat(index).isPositive();
                nl.addAddress(bridge, Ipv4.parse("10.250.7.1"), 24);
                nl.setUp(bridge);
                nl.createVethPair(host, peer);
                nl.setMaster(host, bridge);
                nl.setUp(host);
                assertThat(nl.link(host).orElseThrow().masterIndex()).isEqualTo(index);
                assertThat(nl.link(peer).orElseThrow().kind()).isEqualTo("veth");
                try (Fd target = Namespaces.open(ns.netns())) {
                    nl.moveToNamespace(peer, target);
                }
                assertThat(nl.link(peer)).isEmpty();
                assertThat(nl.addresses()).contains(new AddressEntry(index, Ipv4.parse("10.250.7.1"), 24));

                try (Rtnetlink inside = Rtnetlink.openIn(ns.netns())) {
                    inside.rename(peer, "eth0");
                    inside.setMac("eth0", new byte[] {0x02, 0x42, 10, (byte) 250, 7, 2});
                    inside.addAddress("eth0", Ipv4.parse("10.250.7.2"), 24);
                    inside.setUp("eth0");
                    inside.setUp("lo");
                    inside.addDefaultRoute(Ipv4.parse("10.250.7.1"));
                    assertThat(inside.routes()).anySatisfy(r -> {
                        assertThat(r.destination()).isEqualTo(Subnet.parse("0.0.0.0/0"));
                        assertThat(r.gateway()).contains(Ipv4.parse("10.250.7.1"));
                    });
                }
                var addr = ns.run("ip", "-o", "-4", "addr", "show", "dev", "eth0");
                assertThat(addr.output()).contains("inet 10.250.7.2/24").contains("brd 10.250.7.255");
                assertThat(ns.run("ip", "link", "show", "eth0").output()).contains("02:42:0a:fa:07:02").contains("state UP");
                assertThat(ns.run("ip", "route").output()).contains("default via 10.250.7.1 dev eth0");
                assertThat(ns.run("busybox", "ping", "-c1", "-W2", "10.250.7.1").exit()).isZero();
            } finally {
                if (nl.link(host).isPresent()) {
                    nl.deleteLink(host);
                }
                if (nl.link(bridge).isPresent()) {
                    nl.deleteLink(bridge);
                }
            }
            assertThat(Files.exists(Path.of("/sys/class/net", host))).isFalse();
            assertThat(Files.exists(Path.of("/sys/class/net", bridge))).isFalse();
            assertThat(ns.run("ip", "link", "show", "eth0").exit()).isNotZero();
        }
    }

    @Test
    void refusalsAreTypedWithTheErrnoName() {
        String bridge = "rte" + suffix;
        try (Rtnetlink nl = Rtnetlink.open()) {
            nl.createBridge(bridge);
            try {
                assertThatThrownBy(() -> nl.createBridge(bridge))
                        .isInstanceOf(NetlinkException.class)
                        .hasMessageContaining("create bridge " + bridge)
                        .hasMessageContaining("EEXIST")
                        .satisfies(e -> assertThat(((NetlinkException) e).errno().name()).isEqualTo("EEXIST"));
                nl.addAddress(bridge, Ipv4.parse("10.250.8.1"), 24);
                assertThatThrownBy(() -> nl.addAddress(bridge, Ipv4.parse("10.250.8.1"), 24))
                        .hasMessageContaining("EEXIST");
            } finally {
                nl.deleteLink(bridge);
            }
            assertThatThrownBy(() -> nl.deleteLink(bridge)).isInstanceOf(NetlinkException.class).hasMessageContaining("ENODEV");
            assertThat(nl.link(bridge)).isEmpty();
        }
    }
}
