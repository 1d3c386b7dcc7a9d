package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The end of a daemon test: every container removed (with its anonymous volumes), the daemon stopped, nothing of it still
 * mounted, no veth left in its bridges; then its bridges and nft table are removed (a daemon keeps
 * them across its restarts, as dockerd keeps docker0 and its rules).
 */
public final class Leftovers {
    private static final Pattern BRIDGE = Pattern.compile("\"bridge\"\\s*:\\s*\"([^\"]+)\"");

    private Leftovers() {}

    public static void removeContainersAndStop(DaemonProcess daemon, Path root) throws Exception {
        if (daemon == null) {
            return;
        }
        for (String id : daemon.docker("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                DaemonProcess.Result rm = daemon.docker("rm", "-f", "-v", id);
                assertThat(rm.exit()).as("rm -f " + id + ": " + rm.err()).isZero();
            }
        }
        daemon.stop();
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(root.toString())).toList();
        assertThat(mounts).isEmpty();
        List<String> veths = new ArrayList<>();
        for (String bridge : bridges(daemon.root)) {
            veths.addAll(run("ip", "-o", "link", "show", "master", bridge).lines().filter(l -> !l.isBlank()).toList());
        }
        removeNetworkOf(daemon.root);
        assertThat(veths).as("veths left in the test's bridges").isEmpty();
    }

    /**
     * After a daemon stopped: its bridges and table go unless a container still has a veth in one
     * of them (live-restore, or a test that restarts the daemon with containers running: the next
     * daemon adopts them, and it re-creates a missing bridge and table anyway). So every test's
     * daemon that is stopped leaves no networking of its own behind.
     */
    static void removeNetworkIfIdle(Path root) throws IOException, InterruptedException {
        for (String bridge : bridges(root)) {
            if (!run("ip", "-o", "link", "show", "master", bridge).isBlank()) {
                return;
            }
        }
        removeNetworkOf(root);
    }

    /** Deletes the daemon's bridges (its state's, and its default one) and its nft table; quiet about missing ones. */
    static void removeNetworkOf(Path root) throws IOException, InterruptedException {
        for (String bridge : bridges(root)) {
            run("ip", "link", "del", bridge);
        }
        Path cfg = root.resolve("daemon.json");
        if (Files.exists(cfg)) {
            Matcher m = BRIDGE.matcher(Files.readString(cfg));
            if (m.find()) {
                run("nft", "delete", "table", "ip", "berth_" + m.group(1).replaceAll("[^A-Za-z0-9_]", "_"));
            }
        }
    }

    /** The bridges of the daemon's networks (its state files), and its default bridge from daemon.json. */
    static List<String> bridges(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        Path dir = root.resolve("data/network/networks");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    Matcher m = BRIDGE.matcher(Files.readString(f));
                    if (m.find() && !out.contains(m.group(1))) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        Path cfg = root.resolve("daemon.json");
        if (Files.exists(cfg)) {
            Matcher m = BRIDGE.matcher(Files.readString(cfg));
            if (m.find() && !out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return p.exitValue() == 0 ? out : "";
    }
}
