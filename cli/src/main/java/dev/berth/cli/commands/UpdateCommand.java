package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth update}: POST /containers/{id}/update with the resource flags given. */
public final class UpdateCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("update", "update [OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers", 1, -1,
                Flag.value("blkio-weight", "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
                Flag.value("cpu-period", "int", "Limit CPU CFS (Completely Fair Scheduler) period"),
                Flag.value("cpu-quota", "int", "Limit CPU CFS (Completely Fair Scheduler) quota"),
                Flag.value("cpu-rt-period", "int", "Limit the CPU real-time period in microseconds"),
                Flag.value("cpu-rt-runtime", "int", "Limit the CPU real-time runtime in microseconds"),
                Flag.value("cpu-shares", 'c', "int", "CPU shares (relative weight)"),
                Flag.value("cpus", "decimal", "Number of CPUs"),
                Flag.value("cpuset-cpus", "string", "CPUs in which to allow execution (0-3, 0,1)"),
                Flag.value("cpuset-mems", "string", "MEMs in which to allow execution (0-3, 0,1)"),
                Flag.value("memory", 'm', "bytes", "Memory limit"),
                Flag.value("memory-reservation", "bytes", "Memory soft limit"),
                Flag.value("memory-swap", "bytes", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
                Flag.value("pids-limit", "int", "Tune container pids limit (set -1 for unlimited)"),
                Flag.value("restart", "string", "Restart policy to apply when a container exits"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        if (a.has("memory")) {
            body.put("Memory", Units.ramInBytes("memory", a.string("memory")));
        }
        if (a.has("memory-reservation")) {
            body.put("MemoryReservation", Units.ramInBytes("memory-reservation", a.string("memory-reservation")));
        }
        if (a.has("memory-swap")) {
            body.put("MemorySwap", a.string("memory-swap").equals("-1") ? -1L : Units.ramInBytes("memory-swap", a.string("memory-swap")));
        }
        if (a.has("cpus")) {
            body.put("NanoCpus", Math.round(Double.parseDouble(a.string("cpus")) * 1e9));
        }
        for (String[] f : new String[][] {{"cpu-shares", "CpuShares"}, {"cpu-period", "CpuPeriod"}, {"cpu-quota", "CpuQuota"},
                {"pids-limit", "PidsLimit"}, {"blkio-weight", "BlkioWeight"}, {"cpu-rt-period", "CpuRealtimePeriod"},
                {"cpu-rt-runtime", "CpuRealtimeRuntime"}}) {
            if (a.has(f[0])) {
                body.put(f[1], (long) a.integer(f[0], 0));
            }
        }
        if (a.has("cpuset-cpus")) {
            body.put("CpusetCpus", a.string("cpuset-cpus"));
        }
        if (a.has("cpuset-mems")) {
            body.put("CpusetMems", a.string("cpuset-mems"));
        }
        if (a.has("restart")) {
            body.put("RestartPolicy", CreateRequest.restartPolicy(a.string("restart")));
        }
        return EachContainer.run(cli, a.args(), name -> {
            Object answer = cli.api().postJson("/containers/" + Api.segment(name) + "/update", null, body);
            for (Object w : Api.list(answer, "Warnings")) {
                cli.err().println(w);
            }
        });
    }
}
