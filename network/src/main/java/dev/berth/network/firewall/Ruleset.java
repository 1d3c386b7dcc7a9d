package dev.berth.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.network.Endpoint;
import dev.berth.network.Network;
import dev.berth.network.PortMapping;
import java.util.List;

/**
 * Our whole nftables table, derived from the networks: one pure function of the state, applied
 * as one transaction that deletes and re-creates the table (libnftables-json(5); `add table` first
 * so that the delete never fails on a missing table). So a rule can never outlive the network or
 * endpoint it was for, a restarted daemon restores exactly what its state says, and no other
 * table is ever touched. Conntrack entries survive the swap, so live connections are not cut.
 *
 * <pre>
 * table ip TABLE {
 *   chain forward     { type filter hook forward priority filter; policy accept;
 *     oifname BR ct status dnat accept                    # published ports, from anywhere
 *     iifname BR oifname != BR drop                       # --internal: nothing leaves ...
 *     oifname BR iifname != BR drop                       #             ... nothing enters
 *     iifname BR1 oifname BR2 drop                        # isolation between our networks
 *   }
 *   chain postrouting { type nat hook postrouting priority srcnat;
 *     ip saddr SUBNET oifname != BR masquerade            # outbound NAT
 *     oifname BR ip saddr SUBNET ct status dnat masquerade  # hairpin: a container to a published port
 *     oifname BR ip saddr 127.0.0.0/8 masquerade          # the host's 127.0.0.1 to a published port
 *   }
 *   chain prerouting  { type nat hook prerouting priority dstnat; fib daddr type local jump publish }
 *   chain output      { type nat hook output priority dstnat; fib daddr type local jump publish }
 *   chain publish     { [ip daddr HOSTIP] meta l4proto tcp th dport HOSTPORT dnat to CIP:CPORT }
 * }
 * </pre>
 *
 * DNAT of 127.0.0.1 in output needs net.ipv4.conf.BR.route_localnet=1 (ip-sysctl.rst): the
 * kernel otherwise drops a packet with a loopback source that leaves through the bridge. The
 * isolation and internal rules follow docker's DOCKER-ISOLATION chains (moby libnetwork
 * drivers/bridge/setup_ip_tables.go), written as one rule per pair of bridges.
 */
public final class Ruleset {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FAMILY = "ip";

    private Ruleset() {}

    /** The transaction that makes {@code table} hold exactly the rules for {@code networks}; an empty list removes it. */
    public static String of(String table, List<Network> networks) {
        ArrayNode cmds = F.arrayNode();
        cmds.add(cmd("add", "table", tableNode(table)));
        cmds.add(cmd("delete", "table", tableNode(table)));
        if (!networks.isEmpty()) {
            cmds.add(cmd("add", "table", tableNode(table)));
            cmds.add(cmd("add", "chain", baseChain(table, "forward", "filter", "forward", 0)));
            cmds.add(cmd("add", "chain", baseChain(table, "postrouting", "nat", "postrouting", 100)));
            cmds.add(cmd("add", "chain", baseChain(table, "prerouting", "nat", "prerouting", -100)));
            cmds.add(cmd("add", "chain", baseChain(table, "output", "nat", "output", -100)));
            cmds.add(cmd("add", "chain", chain(table, "publish")));

            for (Network n : networks) {
                if (!n.internal()) {
                    rule(cmds, table, "forward", match("==", meta("oifname"), n.bridge()),
                            match("in", ct("status"), F.textNode("dnat")), verdict("accept"));
                }
            }
            for (Network n : networks) {
                if (n.internal()) {
                    rule(cmds, table, "forward", match("==", meta("iifname"), n.bridge()), match("!=", meta("oifname"), n.bridge()), verdict("drop"));
                    rule(cmds, table, "forward", match("==", meta("oifname"), n.bridge()), match("!=", meta("iifname"), n.bridge()), verdict("drop"));
                }
                for (Network other : networks) {
                    if (other != n) {
                        rule(cmds, table, "forward", match("==", meta("iifname"), n.bridge()),
                                match("==", meta("oifname"), other.bridge()), verdict("drop"));
                    }
                }
            }

            for (Network n : networks) {
                if (n.internal()) {
                    continue;
                }
                ObjectNode subnet = prefix(n.subnet().address().toString(), n.subnet().prefix());
                rule(cmds, table, "postrouting", match("==", payload("ip", "saddr"), subnet),
                        match("!=", meta("oifname"), n.bridge()), verdict("masquerade"));
                rule(cmds, table, "postrouting", match("==", meta("oifname"), n.bridge()),
                        match("==", payload("ip", "saddr"), prefix(n.subnet().address().toString(), n.subnet().prefix())),
                        match("in", ct("status"), F.textNode("dnat")), verdict("masquerade"));
                rule(cmds, table, "postrouting", match("==", meta("oifname"), n.bridge()),
                        match("==", payload("ip", "saddr"), prefix("127.0.0.0", 8)), verdict("masquerade"));
                for (Endpoint e : n.endpoints()) {
                    for (PortMapping p : e.ports()) {
                        publish(cmds, table, p);
                    }
                }
            }
            ObjectNode local = match("==", fib("type", "daddr"), F.textNode("local"));
            rule(cmds, table, "prerouting", local, jump("publish"));
            rule(cmds, table, "output", local.deepCopy(), jump("publish"));
        }
        ObjectNode doc = F.objectNode();
        doc.set("nftables", cmds);
        try {
            return JSON.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publish(ArrayNode cmds, String table, PortMapping p) {
        String proto = p.protocol().name();
        ObjectNode dnat = F.objectNode();
        dnat.put("addr", p.containerIp().toString());
        dnat.put("port", p.containerPort());
        ObjectNode dnatStmt = F.objectNode();
        dnatStmt.set("dnat", dnat);
        ObjectNode l4 = match("==", meta("l4proto"), F.textNode(proto));
        ObjectNode port = match("==", payload(proto, "dport"), F.numberNode(p.hostPort()));
        if (p.hostIp() != null) {
            rule(cmds, table, "publish", match("==", payload("ip", "daddr"), F.textNode(p.hostIp().toString())), l4, port, dnatStmt);
        } else {
            rule(cmds, table, "publish", l4, port, dnatStmt);
        }
    }

    // ---- libnftables-json(5) building blocks

    private static ObjectNode cmd(String verb, String kind, ObjectNode body) {
        ObjectNode inner = F.objectNode();
        inner.set(kind, body);
        ObjectNode out = F.objectNode();
        out.set(verb, inner);
        return out;
    }

    private static ObjectNode tableNode(String table) {
        ObjectNode t = F.objectNode();
        t.put("family", FAMILY);
        t.put("name", table);
        return t;
    }

    private static ObjectNode chain(String table, String name) {
        ObjectNode c = F.objectNode();
        c.put("family", FAMILY);
        c.put("table", table);
        c.put("name", name);
        return c;
    }

    private static ObjectNode baseChain(String table, String name, String type, String hook, int prio) {
        ObjectNode c = chain(table, name);
        c.put("type", type);
        c.put("hook", hook);
        c.put("prio", prio);
        c.put("policy", "accept");
        return c;
    }

    private static void rule(ArrayNode cmds, String table, String chain, ObjectNode... exprs) {
        ObjectNode r = F.objectNode();
        r.put("family", FAMILY);
        r.put("table", table);
        r.put("chain", chain);
        ArrayNode expr = r.putArray("expr");
        for (ObjectNode e : exprs) {
            expr.add(e);
        }
        cmds.add(cmd("add", "rule", r));
    }

    private static ObjectNode match(String op, JsonNode left, String right) {
        return match(op, left, F.textNode(right));
    }

    private static ObjectNode match(String op, JsonNode left, JsonNode right) {
        ObjectNode m = F.objectNode();
        m.put("op", op);
        m.set("left", left);
        m.set("right", right);
        ObjectNode out = F.objectNode();
        out.set("match", m);
        return out;
    }

    private static ObjectNode meta(String key) {
        ObjectNode m = F.objectNode();
        m.putObject("meta").put("key", key);
        return m;
    }

    private static ObjectNode ct(String key) {
        ObjectNode m = F.objectNode();
        m.putObject("ct").put("key", key);
        return m;
    }

    private static ObjectNode payload(String protocol, String field) {
        ObjectNode m = F.objectNode();
        ObjectNode p = m.putObject("payload");
        p.put("protocol", protocol);
        p.put("field", field);
        return m;
    }

    private static ObjectNode fib(String result, String flag) {
        ObjectNode m = F.objectNode();
        ObjectNode f = m.putObject("fib");
        f.put("result", result);
        f.putArray("flags").add(flag);
        return m;
    }

    private static ObjectNode prefix(String addr, int len) {
        ObjectNode m = F.objectNode();
        ObjectNode p = m.putObject("prefix");
        p.put("addr", addr);
        p.put("len", len);
        return m;
    }

    private static ObjectNode verdict(String v) {
        ObjectNode m = F.objectNode();
        m.putNull(v);
        return m;
    }

    private static ObjectNode jump(String target) {
        ObjectNode m = F.objectNode();
        m.putObject("jump").put("target", target);
        return m;
    }
}
