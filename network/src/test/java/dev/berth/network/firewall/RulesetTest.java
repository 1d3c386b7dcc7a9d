package dev.berth.network.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.network.Endpoint;
import dev.berth.network.Ipv4;
import dev.berth.network.Network;
import dev.berth.network.PortBinding;
import dev.berth.network.PortMapping;
import dev.berth.network.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table derived from the networks, read back as the rules nft would list, in a compact text. */
class RulesetTest {
    private static Network net(String bridge, String subnet, boolean internal, List<Endpoint> eps) {
        Subnet s = Subnet.parse(subnet);
        return new Network("id-" + bridge, "n-" + bridge, bridge, s, s.address().plus(1), null, internal, Map.of(), "", eps);
    }

    /** Each rule as "chain: expr expr ...", e.g. "postrouting: ip.saddr==10.0.0.0/24 oifname!=br1 masquerade". */
    private static List<String> rules(String json) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode cmd : new ObjectMapper().readTree(json).get("nftables")) {
            JsonNode rule = cmd.path("add").path("rule");
            if (rule.isMissingNode()) {
                continue;
            }
            StringBuilder b = new StringBuilder(rule.get("chain").asText()).append(":");
            for (JsonNode e : rule.get("expr")) {
                b.append(' ').append(expr(e));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String expr(JsonNode e) {
        if (e.has("match")) {
            JsonNode m = e.get("match"), l = m.get("left"), r = m.get("right");
            String left = l.has("meta") ? l.get("meta").get("key").asText()
                    : l.has("ct") ? "ct." + l.get("ct").get("key").asText()
                    : l.has("payload") ? l.get("payload").get("protocol").asText() + "." + l.get("payload").get("field").asText()
                    : l.has("fib") ? "fib." + l.get("fib").get("flags").get(0).asText() : l.toString();
            String right = r.has("prefix") ? r.get("prefix").get("addr").asText() + "/" + r.get("prefix").get("len").asText() : r.asText();
            return left + m.get("op").asText() + right;
        }
        if (e.has("dnat")) {
            return "dnat:" + e.get("dnat").get("addr").asText() + ":" + e.get("dnat").get("port").asText();
        }
        if (e.has("jump")) {
            return "jump:" + e.get("jump").get("target").asText();
        }
        return e.fieldNames().next();
    }

    @Test
    void noNetworksMeansTheTableIsRemoved() throws Exception {
        JsonNode cmds = new ObjectMapper().readTree(Ruleset.of("t", List.of())).get("nftables");
        assertThat(cmds).hasSize(2);
        assertThat(cmds.get(0).has("add")).isTrue();
        assertThat(cmds.get(1).get("delete").get("table").get("name").asText()).isEqualTo("t");
    }

    @Test
    void masqueradePublishedPortsAndIsolation() throws Exception {
        Endpoint web = new Endpoint("ep1", "id-br1", "c1", "web", "/proc/1/ns/net", Ipv4.parse("10.0.0.2"), 24, Ipv4.parse("10.0.0.1"), "", "bv1", "eth0",
                List.of(), List.of(new PortMapping(null, 8080, Ipv4.parse("10.0.0.2"), 80, PortBinding.Protocol.tcp),
                        new PortMapping(Ipv4.parse("127.0.0.1"), 5353, Ipv4.parse("10.0.0.2"), 53, PortBinding.Protocol.udp)), List.of());
        List<String> rules = rules(Ruleset.of("t", List.of(net("br1", "10.0.0.0/24", false, List.of(web)),
                net("br2", "10.0.1.0/24", false, List.of()))));
        assertThat(rules).contains(
                "postrouting: ip.saddr==10.0.0.0/24 oifname!=br1 masquerade",
                "postrouting: oifname==br1 ip.saddr==10.0.0.0/24 ct.status in dnat masquerade".replace(" in ", "in"),
                "postrouting: oifname==br1 ip.saddr==127.0.0.0/8 masquerade",
                "forward: iifname==br1 oifname==br2 drop",
                "forward: iifname==br2 oifname==br1 drop",
                "publish: meta.l4proto==tcp tcp.dport==8080 dnat:10.0.0.2:80".replace("meta.l4proto", "l4proto"),
                "publish: ip.daddr==127.0.0.1 l4proto==udp udp.dport==5353 dnat:10.0.0.2:53",
                "prerouting: fib.daddr==local jump:publish",
                "output: fib.daddr==local jump:publish");
        assertThat(rules).noneMatch(r -> r.contains("iifname==br1 oifname==br1"));
    }

    @Test
    void anInternalNetworkGetsNoMasqueradeAndDropsEverythingCrossingItsBridge() throws Exception {
        List<String> rules = rules(Ruleset.of("t", List.of(net("br9", "10.9.0.0/24", true, List.of()))));
        assertThat(rules).contains("forward: iifname==br9 oifname!=br9 drop", "forward: oifname==br9 iifname!=br9 drop");
        assertThat(rules).noneMatch(r -> r.contains("masquerade"));
        assertThat(rules).noneMatch(r -> r.contains("ct.status"));
    }
}
