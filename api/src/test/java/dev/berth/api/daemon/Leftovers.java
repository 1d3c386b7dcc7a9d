package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a daemon test: every container removed (with its anonymous volumes), the daemon stopped, nothing of it still mounted. */
public final class Leftovers {
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
    }
}
