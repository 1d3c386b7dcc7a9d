package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpamTest {
    @Test
    void cidrsParseCanonicallyAndBadOnesAreRefusedWithTheReason() {
        assertThat(Subnet.parse("10.1.0.0/16")).isEqualTo(new Subnet(Ipv4.parse("10.1.0.0"), 16));
        assertThat(Subnet.parse("10.1.0.0/16").last()).isEqualTo(Ipv4.parse("10.1.255.255"));
        assertThatThrownBy(() -> Subnet.parse("10.1.2.3/16")).isInstanceOf(InvalidNetworkRequestException.class)
                .hasMessage("invalid subnet 10.1.2.3/16: it should be 10.1.0.0/16");
        assertThatThrownBy(() -> Subnet.parse("10.1.0.0")).hasMessageContaining("invalid CIDR address");
        assertThatThrownBy(() -> Subnet.parse("10.1.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Subnet.parse("10.256.0.0/16")).hasMessageContaining("invalid IPv4 address");
        assertThatThrownBy(() -> Subnet.parse("10.1.0/16")).hasMessageContaining("invalid IPv4 address");
        assertThatThrownBy(() -> Subnet.parse("fd00::/64")).isInstanceOf(InvalidNetworkRequestException.class);
    }

    @Test
    void overlapAndContainment() {
        Subnet big = Subnet.parse("172.18.0.0/16");
        assertThat(big.overlaps(Subnet.parse("172.18.5.0/24"))).isTrue();
        assertThat(Subnet.parse("172.18.5.0/24").overlaps(big)).isTrue();
        assertThat(big.overlaps(Subnet.parse("172.19.0.0/16"))).isFalse();
        assertThat(Subnet.parse("172.18.5.0/24").within(big)).isTrue();
        assertThat(big.within(Subnet.parse("172.18.5.0/24"))).isFalse();
    }

    @Test
    void aNewNetworkTakesTheFirstDefaultPoolNothingOverlaps() {
        assertThat(Ipam.chooseSubnet(List.of())).isEqualTo(Subnet.parse("172.17.0.0/16"));
        // docker0 on 172.17, a host route into 172.18, a network of ours on 172.19
        assertThat(Ipam.chooseSubnet(List.of(Subnet.parse("172.17.0.0/16"), Subnet.parse("172.18.3.0/24"),
                Subnet.parse("172.19.0.0/16")))).isEqualTo(Subnet.parse("172.20.0.0/16"));
        // a host route covering all of 172.16/12 pushes it to 192.168.x/20
        assertThat(Ipam.chooseSubnet(List.of(Subnet.parse("172.16.0.0/12"), Subnet.parse("192.168.0.0/24"))))
                .isEqualTo(Subnet.parse("192.168.16.0/20"));
        assertThatThrownBy(() -> Ipam.chooseSubnet(List.of(Subnet.parse("0.0.0.0/1"), Subnet.parse("128.0.0.0/1"))))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("non-overlapping");
    }

    @Test
    void gatewayDefaultsToTheFirstAddressAndMustBeAHostAddressOfTheSubnet() {
        Subnet s = Subnet.parse("10.5.0.0/24");
        assertThat(Ipam.validate(s, null, null, List.of())).isEqualTo(Ipv4.parse("10.5.0.1"));
        assertThat(Ipam.validate(s, Ipv4.parse("10.5.0.254"), null, List.of())).isEqualTo(Ipv4.parse("10.5.0.254"));
        assertThatThrownBy(() -> Ipam.validate(s, Ipv4.parse("10.5.1.1"), null, List.of())).hasMessageContaining("gateway 10.5.1.1");
        assertThatThrownBy(() -> Ipam.validate(s, Ipv4.parse("10.5.0.255"), null, List.of())).hasMessageContaining("gateway");
        assertThatThrownBy(() -> Ipam.validate(s, null, Subnet.parse("10.6.0.0/25"), List.of()))
                .hasMessageContaining("ip-range 10.6.0.0/25 is not within subnet 10.5.0.0/24");
        assertThatThrownBy(() -> Ipam.validate(s, null, null, List.of(Subnet.parse("10.0.0.0/8"))))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("Pool overlaps");
        assertThatThrownBy(() -> Ipam.validate(Subnet.parse("10.5.0.0/31"), null, null, List.of())).hasMessageContaining("too small");
    }

    @Test
    void addressesAreTheLowestFreeHostAddressesOfTheRange() {
        Subnet s = Subnet.parse("10.5.0.0/29"); // .0 network, .1 gateway, .2-.6 hosts, .7 broadcast
        Ipv4 gw = Ipv4.parse("10.5.0.1");
        assertThat(Ipam.allocate(s, gw, null, Set.of(), Optional.empty())).isEqualTo(Ipv4.parse("10.5.0.2"));
        assertThat(Ipam.allocate(s, gw, null, Set.of(Ipv4.parse("10.5.0.2"), Ipv4.parse("10.5.0.4")), Optional.empty()))
                .isEqualTo(Ipv4.parse("10.5.0.3"));
        assertThat(Ipam.allocate(s, gw, Subnet.parse("10.5.0.4/30"), Set.of(), Optional.empty())).isEqualTo(Ipv4.parse("10.5.0.4"));
        Set<Ipv4> full = Set.of(Ipv4.parse("10.5.0.2"), Ipv4.parse("10.5.0.3"), Ipv4.parse("10.5.0.4"),
                Ipv4.parse("10.5.0.5"), Ipv4.parse("10.5.0.6"));
        assertThatThrownBy(() -> Ipam.allocate(s, gw, null, full, Optional.empty()))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("no available IPv4 addresses");
    }

    @Test
    void aFixedAddressMustBeFreeAndInTheSubnet() {
        Subnet s = Subnet.parse("10.5.0.0/24");
        Ipv4 gw = Ipv4.parse("10.5.0.1");
        assertThat(Ipam.allocate(s, gw, Subnet.parse("10.5.0.128/25"), Set.of(), Optional.of(Ipv4.parse("10.5.0.9"))))
                .as("--ip may lie outside --ip-range, as in docker").isEqualTo(Ipv4.parse("10.5.0.9"));
        assertThatThrownBy(() -> Ipam.allocate(s, gw, null, Set.of(Ipv4.parse("10.5.0.9")), Optional.of(Ipv4.parse("10.5.0.9"))))
                .isInstanceOf(NetworkConflictException.class).hasMessage("Address already in use: 10.5.0.9");
        assertThatThrownBy(() -> Ipam.allocate(s, gw, null, Set.of(), Optional.of(gw))).isInstanceOf(NetworkConflictException.class);
        assertThatThrownBy(() -> Ipam.allocate(s, gw, null, Set.of(), Optional.of(Ipv4.parse("10.6.0.9"))))
                .isInstanceOf(InvalidNetworkRequestException.class).hasMessageContaining("10.6.0.9");
    }
}
