package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `ps <id> [ps options]`: the container's processes. JSON is the list of host pids; the table is
 * ps(1)'s own output (default -ef) kept to the container's pids, as runc does.
 */
final class PsVerb implements Verb {
    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String usage() {
        return "ps [--format table|json] <container-id> [ps options]";
    }

    @Override
    public Set<String> valued() {
        return Set.of("format");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("f", "format");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        List<Integer> pids = ctx.runtime().load(args.id(name())).pids();
        String format = args.value("format", "table");
        if (format.equals("json")) {
            ctx.out().println(Json.write(pids));
            return 0;
        }
        if (!format.equals("table")) {
            throw new UsageException("invalid format option");
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        List<String> psArgs = args.positional().subList(1, args.positional().size());
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines;
        try (var r = new BufferedReader(new InputStreamReader(ps.getInputStream()))) {
            lines = r.lines().toList();
        }
        if (ps.waitFor() != 0 || lines.isEmpty()) {
            throw new UsageException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + String.join("\n", lines));
        }
        int pidColumn = Arrays.asList(lines.getFirst().trim().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) {
            throw new UsageException("couldn't find PID field in ps output");
        }
        Set<String> wanted = new HashSet<>();
        pids.forEach(p -> wanted.add(String.valueOf(p)));
        ctx.out().println(lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > pidColumn && wanted.contains(fields[pidColumn])) {
                ctx.out().println(line);
            }
        }
        return 0;
    }
}
