package dev.berth.engine.container;

import dev.berth.engine.model.ContainerConfig;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ExecRequest;
import dev.berth.runtime.stdio.Record;
import dev.berth.runtime.stdio.RecordReader;
import dev.berth.runtime.stdio.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs a container's Healthcheck (docker's HEALTHCHECK): the test command as an exec in the
 * container every interval, failed when it exits non-zero or outlives the timeout. One virtual
 * thread per watched container; it ends when the container stops. Each probe is an exec on
 * /events as in dockerd (exec_create, exec_start, exec_die with its exit code).
 */
final class HealthMonitor {
    /** docker's defaults: 30 s interval and timeout, 3 retries, no start period. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30), DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 3;
    /** docker keeps at most this much of a probe's output. */
    private static final int MAX_OUTPUT = 4096;

    /** Receives each probe; answers whether the container is still the same run (else the watch ends). */
    interface Listener {
        boolean probed(String id, String startedAt, HealthState.Probe probe, int retries, boolean inStartPeriod);
    }

    private final BerthRuntime runtime;
    private final Listener listener;
    private final Function<String, Path> containerDir;
    private final ExecEvents execEvents;

    /** Where a probe's exec events go: the container's id, the action, the attributes beyond the container's. */
    interface ExecEvents {
        void publish(String containerId, String action, Map<String, String> attributes);
    }

    HealthMonitor(BerthRuntime runtime, Listener listener, Function<String, Path> containerDir, ExecEvents execEvents) {
        this.runtime = runtime;
        this.listener = listener;
        this.containerDir = containerDir;
        this.execEvents = execEvents;
    }

    /** Whether the container has a test to run ("NONE" disables an image's check, as in docker). */
    boolean configured(ContainerRecord r) {
        List<String> test = test(r.config());
        return test != null && !test.isEmpty() && !test.getFirst().equals("NONE");
    }

    private static List<String> test(ContainerConfig c) {
        return c == null || c.healthcheck() == null ? null : c.healthcheck().test();
    }

    void watch(ContainerRecord r) {
        if (!configured(r) || !r.isUp()) {
            return;
        }
        ContainerConfig.HealthConfig hc = r.config().healthcheck();
        Duration interval = positive(hc.interval(), DEFAULT_INTERVAL);
        Duration timeout = positive(hc.timeout(), DEFAULT_TIMEOUT);
        Duration startPeriod = positive(hc.startPeriod(), Duration.ZERO);
        int retries = hc.retries() == null || hc.retries() <= 0 ? DEFAULT_RETRIES : hc.retries();
        List<String> argv = command(hc.test());
        Instant started = Instant.parse(r.startedAt());
        Thread.ofVirtual().name("health-" + r.id().substring(0, 12)).start(() -> {
            try {
                do {
                    Thread.sleep(interval);
                } while (listener.probed(r.id(), r.startedAt(), probe(r.id(), argv, timeout), retries,
                        Instant.now().isBefore(started.plus(startPeriod))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** ["CMD", args...] runs args; ["CMD-SHELL", line] runs it with /bin/sh -c (docker's forms). */
    static List<String> command(List<String> test) {
        return switch (test.getFirst()) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> test;
        };
    }

    private static Duration positive(Long nanos, Duration fallback) {
        return nanos == null || nanos <= 0 ? fallback : Duration.ofNanos(nanos);
    }

    /** One probe: the test as an exec with the container's user, env and cwd; its output captured. */
    private HealthState.Probe probe(String id, List<String> argv, Duration timeout) {
        Instant start = Instant.now();
        Path dir = containerDir.apply(id);
        Path out = dir.resolve("health.log");
        Path pidFile = dir.resolve("health.pid");
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        Map<String, String> execId = Map.of("execID", HexFormat.of().formatHex(random));
        String commandLine = Execs.commandLine(argv);
        execEvents.publish(id, "exec_create: " + commandLine, execId);
        int code = -1;
        try {
            Spec.Process p = runtime.load(id).record().config().process();
            Spec.Process process = new Spec.Process(false, null, p.user(), argv, null, p.env(), p.cwd(), p.capabilities(),
                    p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel(), null, null);
            Files.deleteIfExists(out);
            Thread killer = Thread.ofVirtual().start(() -> killAfter(pidFile, timeout));
            execEvents.publish(id, "exec_start: " + commandLine, execId);
            try {
                code = runtime.exec(new ExecRequest(id, process, null, pidFile, false, 0, Stdio.unrotated(false, out, null)));
            } finally {
                killer.interrupt();
            }
            boolean timedOut = Duration.between(start, Instant.now()).compareTo(timeout) >= 0;
            String output = timedOut ? "Health check exceeded timeout (" + timeout.toSeconds() + "s)" : output(out);
            return new HealthState.Probe(start.toString(), Instant.now().toString(), timedOut ? -1 : code == 0 ? 0 : 1, output);
        } catch (IOException | RuntimeException e) {
            return new HealthState.Probe(start.toString(), Instant.now().toString(), -1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthState.Probe(start.toString(), Instant.now().toString(), -1, "interrupted");
        } finally {
            execEvents.publish(id, "exec_die", Map.of("execID", execId.get("execID"), "exitCode",
                    Integer.toString(code < 0 ? 126 : code)));
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // the next probe overwrites them
            }
        }
    }

    private static void killAfter(Path pidFile, Duration timeout) {
        try {
            Thread.sleep(timeout);
            int pid = Integer.parseInt(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException | IOException | NumberFormatException ignored) {
            // finished in time, or never started
        }
    }

    private static String output(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (InputStream in = Files.newInputStream(log); RecordReader reader = new RecordReader(in)) {
            for (Record r; (r = reader.next()) != null && text.length() < MAX_OUTPUT; ) {
                text.append(new String(r.data(), StandardCharsets.UTF_8));
            }
        }
        return text.length() > MAX_OUTPUT ? text.substring(0, MAX_OUTPUT) : text.toString();
    }
}
