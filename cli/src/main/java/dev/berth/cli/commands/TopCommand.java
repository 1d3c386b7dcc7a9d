package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.TableWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code berth top}: GET /containers/{id}/top, printed as docker's table (columns at least 20 wide). */
public final class TopCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("top", "top CONTAINER [ps OPTIONS]", "Display the running processes of a container", 1, -1).stopAtFirstArg();
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String psArgs = a.args().size() > 1 ? String.join(" ", a.args().subList(1, a.args().size())) : null;
        Object top = cli.api().getJson("/containers/" + Api.segment(a.arg(0)) + "/top", Api.query().put("ps_args", psArgs));
        TableWriter w = new TableWriter(20);
        w.write(join(Api.list(top, "Titles")) + "\n");
        for (Object p : Api.list(top, "Processes")) {
            w.write(join(Api.asList(p)) + "\n");
        }
        cli.out().print(w.render());
        return 0;
    }

    private static String join(List<Object> cells) {
        List<String> s = new ArrayList<>();
        for (Object c : cells) {
            s.add(String.valueOf(c));
        }
        return String.join("\t", s);
    }
}
