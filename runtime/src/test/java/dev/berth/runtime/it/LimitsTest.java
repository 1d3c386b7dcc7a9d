package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cgroups.CgroupManager;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** cgroup limits as the program inside meets them (root, real kernel). */
class LimitsTest extends ContainerTest {
    @Test
    void aMemoryLimitKillsAnAllocatingProgramWithOom() throws Exception {
        bundle.resources().putObject("memory").put("limit", 32L << 20).put("swap", 32L << 20);
        // Doubles a shell variable until the kernel's OOM killer ends it.
        bundle.args("sh", "-c", "x=xxxxxxxxxxxxxxxx; while :; do x=$x$x; done").write();
        RuntimeCli.Result create = cli.run("create", "--bundle", bundle.dir.toString(), id);
        assertThat(create.exit()).as(create.err()).isZero();
        CgroupManager cgroup = CgroupManager.open("/" + id);
        cli.run("start", id);
        for (int i = 0; i < 1000 && !cli.run("state", id).out().contains("stopped"); i++) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(cli.root.resolve(id).resolve("exit"))).startsWith("exit 137 signal 9");
        assertThat(cgroup.oomKillCount()).isPositive();
    }

    @Test
    void aMemoryLimitedRunExitsWith137() throws Exception {
        bundle.resources().putObject("memory").put("limit", 32L << 20).put("swap", 32L << 20);
        bundle.args("sh", "-c", "x=xxxxxxxxxxxxxxxx; while :; do x=$x$x; done").write();
        assertThat(cli.runIn(bundle.dir, "run", id).exit()).isEqualTo(137);
    }

    @Test
    void aPidsLimitStopsAForkBomb() throws Exception {
        bundle.resources().putObject("pids").put("limit", 16);
        // The forks happen in a subshell (a failed fork ends it); what follows uses builtins only,
        // since no pid is free while the sleeps live.
        bundle.args("sh", "-c", "(for i in $(seq 40); do sleep 5 & done) 2>/tmp/err; "
                + "set -- /proc/[0-9]*; echo procs=$#; while read -r l; do echo \"$l\"; done < /tmp/err").write();
        RuntimeCli.Result r = cli.runIn(bundle.dir, "run", id);
        String[] lines = r.out().trim().split("\n");
        int procs = Integer.parseInt(lines[0].replace("procs=", ""));
        assertThat(procs).as(r.both()).isBetween(10, 16);
        assertThat(r.out()).contains("can't fork: Resource temporarily unavailable");
    }

    @Test
    void aCpuQuotaThrottlesABusyLoop() throws Exception {
        bundle.resources().putObject("cpu").put("quota", 10000).put("period", 100000);
        bundle.args("sh", "-c", "while :; do :; done").write();
        cli.run("create", "--bundle", bundle.dir.toString(), id);
        cli.run("start", id);
        Thread.sleep(1500);
        var stats = CgroupManager.open("/" + id).stats();
        cli.run("delete", "--force", id);
        assertThat(stats.cpu().throttledPeriods()).isPositive();
        // 10% of one CPU over ~1.5 s is ~150 ms; allow generous slack but far below 1.5 s.
        assertThat(stats.cpu().usageTotalNs()).isLessThan(600_000_000L);
    }
}
