package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth port}: the published ports from the container's NetworkSettings.Ports. */
public final class PortCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("port", "port CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", 1, 2);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Object c = cli.api().getJson("/containers/" + Api.segment(a.arg(0)) + "/json", null);
        Map<String, Object> ports = new TreeMap<>();
        if (Api.get(c, "NetworkSettings", "Ports") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                ports.put(String.valueOf(e.getKey()), e.getValue());
            }
        }
        if (a.args().size() == 2) {
            String wanted = a.arg(1).contains("/") ? a.arg(1) : a.arg(1) + "/tcp";
            Object bindings = ports.get(wanted);
            if (Api.asList(bindings).isEmpty()) {
                throw new CliException("Error: No public port '" + a.arg(1) + "' published for " + a.arg(0), 1);
            }
            for (Object b : Api.asList(bindings)) {
                cli.out().println(address(b));
            }
            return 0;
        }
        for (Map.Entry<String, Object> e : ports.entrySet()) {
            for (Object b : Api.asList(e.getValue())) {
                cli.out().println(e.getKey() + " -> " + address(b));
            }
        }
        return 0;
    }

    private static String address(Object b) {
        String ip = Api.string(b, "HostIp");
        return (ip.contains(":") ? "[" + ip + "]" : ip.isEmpty() ? "0.0.0.0" : ip) + ":" + Api.string(b, "HostPort");
    }
}
