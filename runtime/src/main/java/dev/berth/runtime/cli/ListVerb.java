package dev.berth.runtime.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.oci.runtime.Json;
import dev.berth.runtime.Container;
import dev.berth.runtime.ContainerRecord;
import dev.berth.runtime.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** `list`: the containers under --root, as runc's table, ids only (-q) or JSON. */
final class ListVerb implements Verb {
    @JsonPropertyOrder({"ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"})
    record Entry(String ociVersion, String id, int pid, String status, String bundle, String rootfs, String created,
                 String owner, Map<String, String> annotations) {}

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String usage() {
        return "list [--format table|json] [--quiet]";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("quiet");
    }

    @Override
    public Set<String> valued() {
        return Set.of("format");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("f", "format", "q", "quiet");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (Container c : ctx.runtime().list()) {
            ContainerRecord r = c.record();
            Status s = c.status();
            entries.add(new Entry(Container.OCI_VERSION, r.id(), s == Status.STOPPED ? 0 : r.pid(), s.text(), r.bundle(),
                    r.rootfs(), r.created(), r.owner(), r.annotations()));
        }
        if (args.flag("quiet")) {
            entries.forEach(e -> ctx.out().println(e.id()));
            return 0;
        }
        switch (args.value("format", "table")) {
            case "json" -> ctx.out().println(Json.write(entries));
            case "table" -> {
                Table t = new Table(12, 3).row("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
                entries.forEach(e -> t.row(e.id(), e.pid(), e.status(), e.bundle(), e.created(), e.owner()));
                ctx.out().print(t.render());
            }
            default -> throw new UsageException("invalid format option");
        }
        return 0;
    }
}
