/*
 * WarmRun: the cost of one container run (create + start + wait + delete) in a JVM that is
 * already up and warm, as the daemon will see it. Run by bench/runtime-warm.sh:
 *
 *   java -cp "runtime/target/berth-runtime-*.jar:runtime/target/lib/*" --enable-native-access=ALL-UNNAMED \
 *       bench/warm/WarmRun.java --bundle B --root R --shim S [--runs 50] [--warmup 20] [--gap-ms G]
 *       [--peer CMD] [--breakdown | --cold EPOCH_NS]
 *
 * It times BerthRuntime.run(new CreateRequest(...)) N times in sequence, each with a new id, and
 * prints mean, median, p90, min and max in ms, then a line "RESULT <mean> <median> <p90>" for the
 * script to read.
 *
 * With --gap-ms G it also times N runs that each follow a pause of G ms, as isolated starts are:
 * on kernels since 6.0 (percpu cgroup_threadgroup_rwsem) a write to cgroup.procs that comes more
 * than a grace period after the previous one waits for an RCU grace period, which back-to-back
 * runs skip. Prints "RESULT_SPACED <mean> <median> <p90>".
 *
 * With --peer CMD it also alternates our run with CMD (e.g. runc run; see interleaved()).
 *
 * With --cold T0 it instead makes one instrumented run as the very first work of the JVM (see
 * cold()); bench/runtime-run.sh compiles this file and runs it that way, with the launcher's flags.
 *
 * With --breakdown it also runs a copy of BerthRuntime.run (create step by step, with the same
 * calls in the same order as of this writing; then the public start, the wait, the public
 * delete) with a clock between the steps, and prints the mean time of each. The copy reaches
 * package-private pieces (ShimSession, DeviceRules, ProcStat) by reflection; it changes nothing
 * in the runtime. If BerthRuntime.create changes, this copy may drift: each instrumented run
 * follows a plain one, and the two totals are printed side by side, with a warning when they
 * are far apart. Last brought in line with create() on 2026-11-22 (sync socket from
 * ShimSession.syncSocketFor, LaunchOptions' trailing Stdio, the channel closed after the wait
 * as ShimHandle.awaitExit does).
 */

import dev.berth.cgroups.CgroupManager;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.Bundle;
import dev.berth.runtime.ContainerRecord;
import dev.berth.runtime.CreateRequest;
import dev.berth.runtime.StateStore;
import dev.berth.runtime.plan.HostInfo;
import dev.berth.runtime.plan.LaunchOptions;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.PlanBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class WarmRun {
    public static void main(String[] argv) throws Exception {
        Map<String, String> a = parse(argv);
        Path bundle = Path.of(required(a, "bundle")).toAbsolutePath();
        Path root = Path.of(required(a, "root")).toAbsolutePath();
        Path shim = Path.of(required(a, "shim"));
        int runs = Integer.parseInt(a.getOrDefault("runs", "50"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "20"));
        String prefix = "warm-" + ProcessHandle.current().pid() + "-";
        if (a.containsKey("cold")) {
            cold(a, bundle, root, shim, prefix);
            return;
        }

        BerthRuntime runtime = new BerthRuntime(root, shim, w -> System.err.println("warning: " + w));
        int[] seq = {0};
        for (int i = 0; i < warmup; i++) {
            check(runtime.run(request(prefix + "w" + seq[0]++, bundle)));
        }
        Stats s = timedLoop(runtime, bundle, prefix, runs, seq, 0);
        System.out.printf("BerthRuntime.run, warm JVM, %d runs back to back after %d warm-up: mean %.2f ms, median %.2f, p90 %.2f, min %.2f, max %.2f%n",
                runs, warmup, s.mean, s.median, s.p90, s.min, s.max);
        System.out.printf("RESULT %.2f %.2f %.2f%n", s.mean, s.median, s.p90);
        int gap = Integer.parseInt(a.getOrDefault("gap-ms", "0"));
        if (gap > 0) {
            Stats g = timedLoop(runtime, bundle, prefix, runs, seq, gap);
            System.out.printf("BerthRuntime.run, warm JVM, %d runs each after a %d ms pause: mean %.2f ms, median %.2f, p90 %.2f, min %.2f, max %.2f%n",
                    runs, gap, g.mean, g.median, g.p90, g.min, g.max);
            System.out.printf("RESULT_SPACED %.2f %.2f %.2f%n", g.mean, g.median, g.p90);
        }

        if (a.containsKey("peer")) {
            interleaved(runtime, a.get("peer"), bundle, prefix, runs, seq);
        }

        if (a.containsKey("breakdown")) {
            Traced traced = new Traced(root, shim);
            for (int i = 0; i < warmup; i++) {
                traced.run(prefix + "tw" + seq[0]++, bundle, null);
            }
            Map<String, double[]> steps = new LinkedHashMap<>();
            double[] total = new double[runs];
            double[] plain = new double[runs];
            for (int i = 0; i < runs; i++) {
                // A plain run before each instrumented one, for the drift check below.
                CreateRequest req = request(prefix + seq[0]++, bundle);
                long p0 = System.nanoTime();
                check(runtime.run(req));
                plain[i] = (System.nanoTime() - p0) / 1e6;
                Map<String, Long> t = new LinkedHashMap<>();
                long t0 = System.nanoTime();
                traced.run(prefix + "t" + seq[0]++, bundle, t);
                total[i] = (System.nanoTime() - t0) / 1e6;
                int k = i;
                t.forEach((step, nanos) -> steps.computeIfAbsent(step, x -> new double[runs])[k] = nanos / 1e6);
            }
            System.out.printf("%nBreakdown (instrumented copy of run(), %d runs; ms)%n", runs);
            System.out.printf("  %-58s %8s %8s %8s%n", "step", "mean", "median", "p90");
            steps.forEach((step, v) -> {
                Stats st = Stats.of(v);
                System.out.printf("  %-58s %8.2f %8.2f %8.2f%n", step, st.mean, st.median, st.p90);
            });
            Stats st = Stats.of(total);
            System.out.printf("  %-58s %8.2f %8.2f %8.2f%n", "total (instrumented)", st.mean, st.median, st.p90);
            // The copy drifts from BerthRuntime.create when that changes; a total far from that
            // of the plain runs alternated with it (so under the same load) is the sign.
            Stats pl = Stats.of(plain);
            System.out.printf("  check: instrumented total %.2f ms (median) vs plain BerthRuntime.run alternated with it %.2f ms%s%n",
                    st.median, pl.median, Math.abs(st.median - pl.median) > Math.max(3, 0.25 * pl.median)
                            ? ": FAR APART, the copy may be out of date" : "");
            for (String line : traced.notes()) {
                System.out.println("  note: " + line);
            }
        }
    }

    /**
     * --cold T0: one instrumented run as the first thing this JVM does, as in a `berth-runtime
     * run` process. T0 is the wall clock (epoch ns) the calling script read just before starting
     * java; the first row is JVM start-up up to main(). Prints "STEP<tab>name<tab>ms" lines and
     * "END<tab>epoch ns" last, so that the script can add the time the JVM takes to exit.
     */
    private static void cold(Map<String, String> a, Path bundle, Path root, Path shim, String prefix) throws Exception {
        long mainAt = epochNanos();
        long t0 = Long.parseLong(a.get("cold"));
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("JVM start until main() (exec java, boot, map AOT cache)", mainAt - t0);
        long s0 = System.nanoTime();
        Traced traced = new Traced(root, shim);
        t.put("runtime setup (host info; reflection for this copy)", System.nanoTime() - s0);
        traced.run(prefix + "cold", bundle, t);
        // Tab-separated, one step a line: the script takes the median over several JVMs.
        StringBuilder out = new StringBuilder();
        t.forEach((step, nanos) -> out.append("STEP\t").append(step).append('\t')
                .append(String.format("%.2f", nanos / 1e6)).append('\n'));
        for (String line : traced.notes()) {
            out.append("NOTE\t").append(line).append('\n');
        }
        System.out.print(out);
        System.out.println("END\t" + epochNanos());
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * --peer "runc --root R run --bundle B": alternates, in one loop, a BerthRuntime.run, a run of
     * the peer command (with a new id appended) and a run of /bin/true, so that both runtimes see
     * the same load on a busy machine. The peer's figure is net of the mean time this JVM takes to
     * spawn and reap /bin/true (as hyperfine subtracts its shell's start-up).
     */
    private static void interleaved(BerthRuntime runtime, String peerCmd, Path bundle, String prefix, int runs, int[] seq)
            throws Exception {
        List<String> peer = List.of(peerCmd.trim().split("\\s+"));
        double[] ours = new double[runs];
        double[] theirs = new double[runs];
        double[] spawn = new double[runs];
        for (int i = -3; i < runs; i++) {
            long t0 = System.nanoTime();
            check(runtime.run(request(prefix + "i" + seq[0]++, bundle)));
            long t1 = System.nanoTime();
            exec(peer, prefix + "p" + seq[0]++);
            long t2 = System.nanoTime();
            exec(List.of("/bin/true"), null);
            long t3 = System.nanoTime();
            if (i >= 0) {
                ours[i] = (t1 - t0) / 1e6;
                theirs[i] = (t2 - t1) / 1e6;
                spawn[i] = (t3 - t2) / 1e6;
            }
        }
        double overhead = Stats.of(spawn).mean;
        double[] net = Arrays.stream(theirs).map(v -> v - overhead).toArray();
        Stats o = Stats.of(ours);
        Stats p = Stats.of(net);
        System.out.printf("%nInterleaved, %d rounds of (BerthRuntime.run, peer, /bin/true):%n", runs);
        System.out.printf("  BerthRuntime.run: mean %.2f ms, median %.2f, p90 %.2f%n", o.mean, o.median, o.p90);
        System.out.printf("  %s: mean %.2f ms, median %.2f, p90 %.2f (net of %.2f ms to spawn and reap a process)%n",
                peer.getFirst(), p.mean, p.median, p.p90, overhead);
        System.out.printf("  ratio ours/peer: mean %.2fx, median %.2fx%n", o.mean / p.mean, o.median / p.median);
        System.out.printf("INTERLEAVED %.2f %.2f %.2f %.2f %.2f %.2f %.2f%n", o.mean, o.median, o.p90, p.mean, p.median, p.p90, overhead);
    }

    private static void exec(List<String> cmd, String id) throws Exception {
        List<String> full = new ArrayList<>(cmd);
        if (id != null) {
            full.add(id);
        }
        Process p = new ProcessBuilder(full).inheritIO().start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited with " + code);
        }
    }

    /** N timed runs, each (with gapMs > 0) after an untimed pause of gapMs. */
    private static Stats timedLoop(BerthRuntime runtime, Path bundle, String prefix, int runs, int[] seq, int gapMs)
            throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            if (gapMs > 0) {
                Thread.sleep(gapMs);
            }
            CreateRequest req = request(prefix + seq[0]++, bundle);
            long t0 = System.nanoTime();
            int code = runtime.run(req);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            check(code);
        }
        return Stats.of(ms);
    }

    /** As `berth-runtime run` makes it: foreground, and the container gets our stdio (stdio null). */
    private static CreateRequest request(String id, Path bundle) {
        return new CreateRequest(id, bundle, null, null, false, 0, false, null);
    }

    private static void check(int code) {
        if (code != 0) {
            throw new IllegalStateException("container exited with " + code);
        }
    }

    /**
     * A copy of BerthRuntime.run: create step by step (same calls, same order as BerthRuntime.create
     * when this was written), then the public start, the shim wait, and the public delete. Hooks
     * and failure paths are left out: the bench bundle has none. The state record is built through
     * its canonical constructor by component name, so that a new field in ContainerRecord leaves
     * this copy working (and is reported as a note).
     */
    static final class Traced {
        private final Path shim;
        private final StateStore store;
        private final BerthRuntime runtime;
        private final HostInfo host = HostInfo.detect();
        private final Method effective;
        private final Method shimStart;
        private final Method awaitCreated;
        private final Method awaitExit;
        private final Method shimPid;
        private final Method close;
        private final Method startTime;
        private final Method syncSocketFor;
        private final List<String> notes = new ArrayList<>();

        Traced(Path root, Path shim) throws Exception {
            this.shim = shim;
            this.store = new StateStore(root);
            this.runtime = new BerthRuntime(root, shim, w -> System.err.println("warning: " + w));
            effective = method("dev.berth.runtime.DeviceRules", "effective", Spec.Linux.class);
            Class<?> session = Class.forName("dev.berth.runtime.ShimSession");
            shimStart = method(session, "start", Path.class, LaunchPlan.class, Path.class, Path.class);
            Class<?> hookRunner = Class.forName("dev.berth.runtime.ShimSession$HookRunner");
            awaitCreated = method(session, "awaitCreated", hookRunner);
            awaitExit = method(session, "awaitExit");
            shimPid = method(session, "shimPid");
            close = method(session, "close");
            startTime = method("dev.berth.runtime.ProcStat", "startTime", int.class);
            syncSocketFor = method(session, "syncSocketFor", Path.class, String.class);
        }

        List<String> notes() {
            return notes;
        }

        void run(String id, Path bundlePath, Map<String, Long> t) throws Exception {
            Clock c = new Clock(t);
            // ---- create ----
            Bundle bundle = Bundle.load(bundlePath);
            Spec spec = bundle.spec();
            c.lap("create: load bundle (read + parse config.json)");
            Path dir = store.createDir(id);
            c.lap("create: make state dir");
            String cgroupsPath = spec.linux() != null && spec.linux().cgroupsPath() != null
                    && !spec.linux().cgroupsPath().isEmpty() ? spec.linux().cgroupsPath() : "/" + id;
            PlanBuilder builder = new PlanBuilder(spec, bundle.dir(), host);
            CgroupManager cgroup = CgroupManager.open(cgroupsPath);
            c.lap("create: cgroup open (detect layout)");
            cgroup.create();
            c.lap("create: cgroup create (mkdir in each hierarchy)");
            cgroup.apply((Spec.Resources) effective.invoke(null, spec.linux()));
            c.lap("create: cgroup apply (device rules)");
            Path sync = (Path) syncSocketFor.invoke(null, dir, "sync.sock");
            LaunchOptions options = new LaunchOptions(sync, dir.resolve("exit"), dir.resolve("exec.fifo"),
                    null, false, true, false, 0, ProcessHandle.current().pid(), cgroup.procsFiles(), false, null /* stdio: ours */);
            LaunchPlan plan = builder.build(options);
            c.lap("create: build launch plan (incl. seccomp)");
            Object session = shimStart.invoke(null, shim, plan, dir.resolve("plan"), sync);
            c.lap("create: write plan, bind socket, spawn shim");
            int pid = (int) awaitCreated.invoke(session, new Object[] {null});
            c.lap("create: shim forks+clones, child sets up rootfs -> \"pid\"");
            long shimPidValue = (long) shimPid.invoke(session);
            Map<String, Object> fields = new HashMap<>();
            fields.put("id", id);
            fields.put("bundle", bundle.dir().toString());
            fields.put("rootfs", bundle.dir().resolve(spec.root().path()).normalize().toString());
            fields.put("pid", pid);
            fields.put("pidStartTime", startTime.invoke(null, pid));
            fields.put("shimPid", shimPidValue);
            fields.put("shimStartTime", startTime.invoke(null, (int) shimPidValue));
            fields.put("created", Instant.now().toString());
            fields.put("cgroupsPath", cgroupsPath);
            fields.put("cgroupDirs", cgroup.createdDirs().stream().map(Path::toString).toList());
            fields.put("owner", System.getProperty("user.name", ""));
            fields.put("annotations", spec.annotations());
            fields.put("config", spec);
            ContainerRecord record = record(fields);
            c.lap("create: build state record (proc stat, timestamp)");
            store.save(record);
            c.lap("create: save state.json (atomic, 2 fsyncs)");
            // ---- start ----
            runtime.start(id);
            c.lap("start: load state, status, write exec fifo");
            // ---- wait (BerthRuntime.ShimHandle.awaitExit: wait, then close the channel) ----
            int code;
            try {
                code = (int) awaitExit.invoke(session);
            } finally {
                close.invoke(session);
            }
            c.lap("wait: container runs `true`, shim records exit and exits");
            int recorded = runtime.load(id).exitCode();
            c.lap("wait: load state.json + read exit record");
            if ((recorded >= 0 ? recorded : code) != 0) {
                throw new IllegalStateException("container exited with " + code);
            }
            // ---- delete ----
            runtime.delete(id, true);
            c.lap("delete (load, status, await gone, rmdir cgroups, remove dir)");
        }

        private ContainerRecord record(Map<String, Object> fields) throws Exception {
            RecordComponent[] components = ContainerRecord.class.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                String name = components[i].getName();
                if (fields.containsKey(name)) {
                    values[i] = fields.get(name);
                } else {
                    note("ContainerRecord." + name + " is new to this copy of create(); left empty");
                    values[i] = types[i] == int.class ? 0 : types[i] == long.class ? 0L : types[i] == boolean.class ? false : null;
                }
            }
            for (String name : fields.keySet()) {
                if (Arrays.stream(components).noneMatch(rc -> rc.getName().equals(name))) {
                    note("ContainerRecord has no " + name + " any more; this copy of create() is out of date");
                }
            }
            return ContainerRecord.class.getDeclaredConstructor(types).newInstance(values);
        }

        private void note(String s) {
            if (!notes.contains(s)) {
                notes.add(s);
            }
        }

        private static Method method(String cls, String name, Class<?>... types) throws Exception {
            return method(Class.forName(cls), name, types);
        }

        private static Method method(Class<?> cls, String name, Class<?>... types) throws Exception {
            Method m = cls.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        }
    }

    /** Records the time since the previous lap under a name; does nothing without a map. */
    static final class Clock {
        private final Map<String, Long> t;
        private long last = System.nanoTime();

        Clock(Map<String, Long> t) {
            this.t = t;
        }

        void lap(String step) {
            long now = System.nanoTime();
            if (t != null) {
                t.merge(step, now - last, Long::sum);
            }
            last = now;
        }
    }

    record Stats(double mean, double median, double p90, double min, double max) {
        static Stats of(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElse(0);
            return new Stats(mean, pct(s, 50), pct(s, 90), s[0], s[s.length - 1]);
        }

        /** Nearest-rank percentile. */
        private static double pct(double[] sorted, int p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + argv[i]);
            }
            String key = argv[i].substring(2);
            if (key.equals("breakdown")) {
                a.put(key, "");
            } else if (i + 1 < argv.length) {
                a.put(key, argv[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return a;
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            System.err.println("usage: WarmRun --bundle DIR --root DIR --shim PATH [--runs N] [--warmup N] [--gap-ms G] [--peer CMD] [--breakdown | --cold EPOCH_NS]");
            System.exit(2);
        }
        return v;
    }
}
