package dev.berth.runtime.cli;

import dev.berth.cgroups.CgroupException;
import dev.berth.cgroups.CgroupManager;
import dev.berth.runtime.Container;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/**
 * `events [--stats] [--interval 5s] <id>`: with --stats, one stats event and exit; otherwise a
 * stats event every interval and an "oom" event whenever the cgroup's OOM kill count rises, until
 * the container stops (exit 0).
 *
 * <p>runc learns of OOMs from an eventfd on memory.oom_control and keeps streaming until the
 * cgroup is removed. Berth polls instead (the count and the init process, every
 * {@link #POLL} at most), which needs no thread per cgroup file and ends the stream as soon as
 * the container stops; polling the count also catches an OOM kill that ends the container.
 */
final class EventsVerb implements Verb {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String usage() {
        return "events [--stats] [--interval 5s] <container-id>";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("stats");
    }

    @Override
    public Set<String> valued() {
        return Set.of("interval");
    }

    /** The --interval value: a Go duration, greater than zero. */
    static Duration interval(Args args) {
        String text = args.value("interval", null);
        if (text == null) {
            return DEFAULT_INTERVAL;
        }
        Duration d;
        try {
            d = GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value \"" + text + "\" for flag -interval: " + e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw new UsageException("duration interval must be greater than 0");
        }
        return d;
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("\"" + name() + "\" requires exactly 1 argument(s)");
        }
        Duration interval = interval(args);
        Container c = ctx.runtime().load(args.positional().getFirst());
        if (c.status() == Status.STOPPED) {
            throw new ContainerException("container with id " + c.id() + " is not running");
        }
        CgroupManager cgroup = c.cgroup();
        if (args.flag("stats")) {
            emit(ctx.out(), StatsEvent.stats(c.id(), cgroup.stats()));
            return 0;
        }
        stream(c, cgroup, interval, ctx);
        return 0;
    }

    private static void stream(Container c, CgroupManager cgroup, Duration interval, Context ctx) throws InterruptedException {
        long oomKills = oomKills(cgroup);
        long next = System.nanoTime() + interval.toNanos();
        while (true) {
            // OOM first: a kill that ends the container must be reported before the stream ends.
            long now = oomKills(cgroup);
            for (; oomKills < now; oomKills++) {
                emit(ctx.out(), StatsEvent.oom(c.id()));
            }
            if (c.status() == Status.STOPPED || ctx.out().checkError()) {
                return;
            }
            if (System.nanoTime() - next >= 0) {
                try {
                    emit(ctx.out(), StatsEvent.stats(c.id(), cgroup.stats()));
                } catch (CgroupException e) {
                    // The cgroup may vanish between the status check and the read; the next round
                    // sees the container stopped. Anything else is reported and the stream goes on, as runc's does.
                    if (c.status() != Status.STOPPED) {
                        ctx.log().error(e.getMessage());
                    }
                }
                next += interval.toNanos();
                if (System.nanoTime() - next >= 0) {
                    next = System.nanoTime() + interval.toNanos(); // a slow read: skip ticks, do not burst
                }
            }
            long untilNext = next - System.nanoTime();
            Thread.sleep(Duration.ofNanos(Math.max(0, Math.min(untilNext, POLL.toNanos()))));
        }
    }

    private static long oomKills(CgroupManager cgroup) {
        try {
            return cgroup.oomKillCount();
        } catch (CgroupException e) {
            return 0;
        }
    }

    private static void emit(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
