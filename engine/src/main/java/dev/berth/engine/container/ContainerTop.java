package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.runtime.BerthRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * docker top: the host's `ps` with the caller's arguments (default -ef), its rows kept for the
 * processes in the container's cgroup, as dockerd does (daemon/top_unix.go). The pids are also
 * passed to ps with -q so that it need not list the whole host; options that refuse -q are
 * retried without it.
 */
public final class ContainerTop {
    private final Containers containers;
    private final BerthRuntime runtime;

    public ContainerTop(Containers containers, BerthRuntime runtime) {
        this.containers = containers;
        this.runtime = runtime;
    }

    /** ps's column titles and one row per process, the last column holding the rest of the line. */
    public record Top(List<String> titles, List<List<String>> processes) {}

    public Top top(String idOrName, String psArgs) throws IOException, InterruptedException {
        ContainerRecord c = containers.get(idOrName);
        if (!c.status().equals("running") && !c.status().equals("paused")) {
            throw new EngineException(409, "container " + c.id() + " is not running");
        }
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        if (args.chars().anyMatch(ch -> ch == '\n' || ch == '\0')) {
            throw new EngineException(400, "ps_args contains an invalid character");
        }
        List<Integer> pids = runtime.load(c.id()).pids();
        List<String> argv = new ArrayList<>(List.of("ps"));
        argv.addAll(Arrays.stream(args.trim().split("\\s+")).toList());
        Result r = run(withPids(argv, pids));
        if (r.exit != 0) {
            r = run(argv);
        }
        if (r.exit != 0) {
            throw new EngineException(500, "Error running ps: " + r.output.strip());
        }
        return parse(r.output, Set.copyOf(pids));
    }

    private static List<String> withPids(List<String> argv, List<Integer> pids) {
        List<String> out = new ArrayList<>(argv);
        if (!pids.isEmpty()) {
            out.add("-q");
            out.add(pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return out;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new EngineException(500, "Error running ps: timed out");
        }
        return new Result(p.exitValue(), out);
    }

    /** dockerd's parsePSOutput: titles from the first line; rows whose PID column is one of ours. */
    static Top parse(String output, Set<Integer> pids) {
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            throw new EngineException(500, "Couldn't find PID field in ps output");
        }
        List<String> titles = Arrays.asList(lines.getFirst().trim().split("\\s+"));
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw new EngineException(500, "Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line.trim(), titles.size());
            if (fields.size() <= pidIndex) {
                continue;
            }
            try {
                if (pids.contains(Integer.parseInt(fields.get(pidIndex)))) {
                    rows.add(fields);
                }
            } catch (NumberFormatException e) {
                throw new EngineException(500, "Unexpected pid '" + fields.get(pidIndex) + "': " + e.getMessage());
            }
        }
        return new Top(titles, rows);
    }

    /** At most {@code n} fields: the last one is the rest of the line (a command with its arguments). */
    private static List<String> split(String line, int n) {
        List<String> out = new ArrayList<>();
        String rest = line;
        while (out.size() < n - 1 && !rest.isEmpty()) {
            int sp = rest.indexOf(' ');
            if (sp < 0) {
                break;
            }
            out.add(rest.substring(0, sp));
            rest = rest.substring(sp).stripLeading();
        }
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }
}
