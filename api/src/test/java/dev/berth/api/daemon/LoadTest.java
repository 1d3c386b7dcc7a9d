package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty clients running create/start/wait/remove loops together (two minutes by default;
 * -Dberth.loadSeconds=N to change): no call that should succeed fails, and afterwards no mount,
 * cgroup, shim or state directory of any of those containers is left.
 */
@Tag("root")
class LoadTest {
    private static final int CLIENTS = 20;
    private static final String CREATE = "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"exit 3\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}";

    @TempDir
    Path tmp;

    @Test
    void twentyClientsLoopingLeaveNothingBehind() throws Exception {
        Duration length = Duration.ofSeconds(Long.getLong("berth.loadSeconds", 120));
        Path root = tmp.resolve("d");
        DaemonProcess daemon = DaemonProcess.startWithBusybox(root);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicInteger cycles = new AtomicInteger();
        long deadline = System.nanoTime() + length.toNanos();
        try {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    SocketClient api = new SocketClient(daemon.socket);
                    while (System.nanoTime() < deadline && failures.isEmpty()) {
                        try {
                            cycle(api, ids, failures);
                            cycles.incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            System.out.println("LoadTest: " + cycles.get() + " create/start/wait/remove cycles by " + CLIENTS
                    + " clients in " + length.toSeconds() + " s");
            assertThat(failures).isEmpty();
            assertThat(cycles.get()).isGreaterThan(CLIENTS);
            assertThat(daemon.ok("ps", "-aq")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(daemon, tmp);
        }
        for (String id : ids) {
            assertThat(Path.of("/sys/fs/cgroup/memory/berth", id)).doesNotExist();
            assertThat(Path.of("/sys/fs/cgroup/pids/berth", id)).doesNotExist();
            assertThat(Path.of("/sys/fs/cgroup/berth", id)).doesNotExist();
        }
        assertThat(emptyOrAbsent(root.resolve("data/containers"))).isTrue();
        assertThat(emptyOrAbsent(root.resolve("exec/bundles"))).isTrue();
        assertThat(emptyOrAbsent(root.resolve("exec/runtime"))).isTrue();
        assertThat(processesMentioning(root.toString())).isEmpty();
    }

    private static void cycle(SocketClient api, Queue<String> ids, Queue<String> failures) throws Exception {
        SocketClient.Response created = api.call("POST", "/v1.47/containers/create", CREATE);
        if (created.status() != 201) {
            failures.add("create: " + created);
            return;
        }
        String id = created.body().replaceAll("(?s).*\"Id\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
        ids.add(id);
        expect(api.call("POST", "/v1.47/containers/" + id + "/start", null), 204, "start", failures);
        SocketClient.Response waited = api.call("POST", "/v1.47/containers/" + id + "/wait", null);
        if (waited.status() != 200 || !waited.body().contains("\"StatusCode\":3")) {
            failures.add("wait: " + waited);
        }
        expect(api.call("DELETE", "/v1.47/containers/" + id, null), 204, "delete", failures);
    }

    private static void expect(SocketClient.Response r, int status, String what, Queue<String> failures) {
        if (r.status() != status) {
            failures.add(what + ": " + r);
        }
    }

    private static boolean emptyOrAbsent(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Processes whose command line names the test's root: shims left behind would. */
    private static List<String> processesMentioning(String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(text) && !cmd.contains("surefire")) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (java.io.IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }
}
