package dev.berth.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.network.Ipv4;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
    @Test
    void aQueryIsReadAndAnsweredWithARecordsPointingAtTheQuestion() {
        byte[] q = DnsMessage.query(0x1234, "Web.Example", DnsMessage.TYPE_A);
        DnsMessage.Query query = DnsMessage.parseQuery(q, q.length).orElseThrow();
        assertThat(query.id()).isEqualTo(0x1234);
        assertThat(query.name()).isEqualTo("web.example");
        assertThat(query.type()).isEqualTo(DnsMessage.TYPE_A);
        assertThat(query.opcode()).isZero();

        byte[] a = DnsMessage.answer(q, query, DnsMessage.RCODE_OK, List.of(Ipv4.parse("10.0.0.7")));
        String hex = HexFormat.of().formatHex(a);
        // id, flags QR|AA|RD|RA, 1 question, 1 answer, 0, 0
        assertThat(hex).startsWith("1234" + "8580" + "0001" + "0001" + "0000" + "0000");
        // the question echoed, then c00c A IN ttl 600 len 4 10.0.0.7
        assertThat(hex).endsWith("03576562074578616d706c65" + "00" + "0001" + "0001"
                + "c00c" + "0001" + "0001" + "00000258" + "0004" + "0a000007");
    }

    @Test
    void nxdomainAndMalformedPackets() {
        byte[] q = DnsMessage.query(7, "nope", DnsMessage.TYPE_A);
        DnsMessage.Query query = DnsMessage.parseQuery(q, q.length).orElseThrow();
        byte[] a = DnsMessage.answer(q, query, DnsMessage.RCODE_NXDOMAIN, List.of());
        assertThat(a[3] & 0xf).isEqualTo(DnsMessage.RCODE_NXDOMAIN);
        assertThat(DnsMessage.parseQuery(q, 11)).isEmpty();
        assertThat(DnsMessage.parseQuery(q, q.length - 2)).isEmpty();
        byte[] pointer = q.clone();
        pointer[12] = (byte) 0xc0;
        assertThat(DnsMessage.parseQuery(pointer, pointer.length)).isEmpty();
    }

    @Test
    void upstreamsAreTheNameserverLinesOfResolvConf() {
        List<InetSocketAddress> u = Upstreams.fromResolvConf("""
                # comment
                nameserver 10.255.255.53
                search example.org
                nameserver fe80::1%eth0
                nameserver not-an-address
                """);
        assertThat(u).extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .containsExactly("10.255.255.53:53", "fe80:0:0:0:0:0:0:1:53");
    }
}
