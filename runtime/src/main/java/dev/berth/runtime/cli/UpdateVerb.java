package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * `update [flags] <id>`: changes a live container's cgroup limits, with runc's flags. With
 * -r/--resources the limits come from a linux.resources JSON document (a file, or "-" for
 * stdin) and, as in runc, every other flag is ignored. Only what is given changes.
 */
final class UpdateVerb implements Verb {
    private static final String RESOURCES = "resources";
    private static final String L3_CACHE = "l3-cache-schema";
    private static final String MEM_BW = "mem-bw-schema";

    @Override
    public String name() {
        return "update";
    }

    @Override
    public String usage() {
        return "update [-r file|-] [--memory 64m] [--memory-swap ..] [--memory-reservation ..] [--cpu-share n] "
                + "[--cpu-quota n] [--cpu-period n] [--cpu-rt-runtime n] [--cpu-rt-period n] [--cpuset-cpus ..] "
                + "[--cpuset-mems ..] [--blkio-weight n] [--pids-limit n] <container-id>";
    }

    @Override
    public Set<String> valued() {
        return Set.of(RESOURCES, L3_CACHE, MEM_BW, ResourceFlags.BLKIO_WEIGHT, ResourceFlags.CPU_PERIOD,
                ResourceFlags.CPU_QUOTA, ResourceFlags.CPU_SHARE, ResourceFlags.CPU_RT_PERIOD, ResourceFlags.CPU_RT_RUNTIME,
                ResourceFlags.CPUSET_CPUS, ResourceFlags.CPUSET_MEMS, ResourceFlags.MEMORY, ResourceFlags.MEMORY_RESERVATION,
                ResourceFlags.MEMORY_SWAP, ResourceFlags.PIDS_LIMIT);
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("r", RESOURCES);
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("\"" + name() + "\" requires exactly 1 argument(s)");
        }
        String id = args.positional().getFirst();
        // Berth has no resctrl support; refusing beats silently dropping a cache or bandwidth limit.
        if (args.has(L3_CACHE)) {
            throw new UsageException("--" + L3_CACHE + ": Intel RDT/CAT is not supported by berth-runtime");
        }
        if (args.has(MEM_BW)) {
            throw new UsageException("--" + MEM_BW + ": Intel RDT/MBA is not supported by berth-runtime");
        }
        Spec.Resources resources;
        if (args.has(RESOURCES)) {
            String source = args.value(RESOURCES, "-");
            resources = ResourceFlags.fromJson(read(source), source.equals("-") ? "stdin" : source, ctx.log()::warn);
        } else {
            resources = ResourceFlags.fromFlags(args);
        }
        ctx.runtime().update(id, resources);
        return 0;
    }

    private static String read(String source) {
        try {
            return source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new UsageException("open " + source + ": no such file or directory");
        } catch (IOException e) {
            throw new UsageException("read " + source + ": " + e.getMessage());
        }
    }
}
