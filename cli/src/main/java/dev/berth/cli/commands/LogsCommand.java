package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.StdStreamReader;

/** {@code berth logs}: GET /containers/{id}/logs, demultiplexed to stdout and stderr unless the container has a tty. */
public final class LogsCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("logs", "logs [OPTIONS] CONTAINER", "Fetch the logs of a container", 1, 1,
                Flag.bool("details", "Show extra details provided to logs"),
                Flag.bool("follow", 'f', "Follow log output"),
                Flag.value("since", "string", "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
                Flag.value("tail", 'n', "string", "Number of lines to show from the end of the logs").withDefault("all"),
                Flag.bool("timestamps", 't', "Show timestamps"),
                Flag.value("until", "string", "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("stdout", true).put("stderr", true)
                .put("since", a.string("since")).put("until", a.string("until"))
                .put("timestamps", a.bool("timestamps") ? Boolean.TRUE : null)
                .put("follow", a.bool("follow") ? Boolean.TRUE : null)
                .put("tail", a.string("tail"))
                .put("details", a.bool("details") ? Boolean.TRUE : null);
        try (HttpResponse r = cli.api().call("GET", "/containers/" + Api.segment(a.arg(0)) + "/logs", q, null)) {
            if (r.multiplexed()) {
                StdStreamReader.copy(r.body(), cli.out(), cli.err());
            } else {
                byte[] buf = new byte[8192];
                for (int n; (n = r.body().read(buf)) >= 0; ) {
                    cli.out().write(buf, 0, n);
                    cli.out().flush();
                }
            }
        }
        return 0;
    }
}
