package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to containers when the daemon goes away: killed (-9), their shims keep them
 * running and the next daemon adopts them; stopped without live-restore, they are stopped and
 * restart policies bring them back; with live-restore they keep running. Their layers (the
 * read-write one and the image's init layer beneath it) are found again, and containers made
 * before there were init layers, or before they were shared, still run and are removed.
 */
@Tag("root")
class DaemonRestartTest {
    @TempDir
    Path tmp;

    /** Prints "up", then exits 7 on SIGTERM. */
    private static final String[] TRAPPER = {"busybox", "sh", "-c", "trap 'exit 7' TERM; echo up; while true; do sleep 0.1; done"};

    @Test
    void aKilledDaemonsContainersKeepRunningAndAreAdoptedAgain() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = run(first, "-d", "--name", "survivor");
        awaitLogs(first, id, "up");
        first.kill9();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("ps", "-q", "--no-trunc")).isEqualTo(id);
            assertThat(second.ok("logs", "survivor")).isEqualTo("up");
            assertThat(second.ok("diff", "survivor")).isEmpty(); // its init layer is still beneath it
            second.ok("stop", "survivor");
            assertThat(second.ok("wait", id)).isEqualTo("7");
            assertThat(second.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id)).isEqualTo("exited 7");
            second.ok("rm", "survivor");
            assertOnlyTheImagesLayersAreLeft(root, id);
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void aStoppedDaemonStopsItsContainersAndRestartPoliciesBringThemBack() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String plain = run(first, "-d");
        String always = run(first, "-d", "--restart", "always");
        awaitLogs(first, plain, "up");
        awaitLogs(first, always, "up");
        first.stop();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", plain)).isEqualTo("exited 7");
            assertThat(second.ok("inspect", "--format", "{{.State.Status}}", always)).isEqualTo("running");
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void withLiveRestoreAStoppedDaemonLeavesThemRunning() throws Exception {
        Path root = tmp.resolve("d");
        Files.createDirectories(root);
        Files.writeString(root.resolve("daemon.json"), "{\"live-restore\": true}");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = run(first, "-d");
        awaitLogs(first, id, "up");
        first.stop();

        DaemonProcess second = DaemonProcess.start(root);
        try {
            assertThat(second.ok("inspect", "--format", "{{.State.Status}}", id)).isEqualTo("running");
            assertThat(second.ok("diff", id)).isEmpty();
            second.ok("kill", "-s", "TERM", id);
            assertThat(second.ok("wait", id)).isEqualTo("7");
            second.ok("rm", id);
            assertOnlyTheImagesLayersAreLeft(root, id);
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void aContainerMadeBeforeInitLayersStillRunsAndIsRemoved() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = first.ok("create", "--name", "old", "busybox", "sh", "-c", "echo ran > /ran; cat /etc/hostname");
        first.stop();
        Snapshots.of(root).withoutInitLayer(id);

        DaemonProcess second = DaemonProcess.start(root);
        try {
            second.ok("start", "old");
            assertThat(second.ok("wait", "old")).isEqualTo("0");
            assertThat(second.ok("logs", "old")).isEqualTo(id.substring(0, 12));
            // As before init layers: the runtime made the mount points in its read-write layer.
            assertThat(second.ok("diff", "old").lines().toList()).contains("A /ran", "A /etc/hostname");
            second.ok("rm", "old");
            assertOnlyTheImagesLayersAreLeft(root, id);
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    @Test
    void aContainerWithAnInitLayerOfItsOwnStillRunsAndIsRemoved() throws Exception {
        Path root = tmp.resolve("d");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        String id = first.ok("create", "--name", "older", "busybox", "sh", "-c", "echo ran > /ran; cat /etc/hostname");
        first.stop();
        Snapshots.of(root).withInitLayerOfItsOwn(id);

        DaemonProcess second = DaemonProcess.start(root);
        try {
            second.ok("start", "older");
            assertThat(second.ok("wait", "older")).isEqualTo("0");
            assertThat(second.ok("logs", "older")).isEqualTo(id.substring(0, 12));
            assertThat(second.ok("diff", "older").lines().toList()).containsExactly("A /ran");
            second.ok("rm", "older");
            assertOnlyTheImagesLayersAreLeft(root, id);
        } finally {
            Leftovers.removeContainersAndStop(second, tmp);
        }
    }

    /**
     * Container {@code id} is gone with its layers; what stays is the image's: its layer and the
     * one init layer its containers share (made at the first create, kept while the image is).
     */
    private static void assertOnlyTheImagesLayersAreLeft(Path root, String id) throws IOException {
        List<String> left = Snapshots.of(root).keys();
        assertThat(left).noneMatch(k -> k.startsWith("rw/") || k.startsWith("init-preparing/") || k.contains(id));
        assertThat(left).filteredOn(k -> k.startsWith("init/")).singleElement().asString().matches("init/[^/]+/[0-9a-f]{64}");
    }

    /** A stopped daemon's snapshots, as their records on disk say (data/snapshots/overlay or copy). */
    private record Snapshots(Path root, Path dir, boolean overlay, Map<String, Path> byKey, Map<String, String> parents) {
        static Snapshots of(Path root) throws IOException {
            Path overlay = root.resolve("data/snapshots/overlay/snapshots");
            boolean isOverlay = Files.isDirectory(overlay);
            Path dir = isOverlay ? overlay : root.resolve("data/snapshots/copy/snapshots");
            Map<String, Path> byKey = new HashMap<>();
            Map<String, String> parents = new HashMap<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path d : s.filter(d -> Files.exists(d.resolve("info.json"))).toList()) {
                    JsonNode info = new ObjectMapper().readTree(d.resolve("info.json").toFile());
                    byKey.put(info.get("key").asText(), d);
                    parents.put(info.get("key").asText(), info.path("parent").isTextual() ? info.get("parent").asText() : null);
                }
            }
            return new Snapshots(root, dir, isOverlay, byKey, parents);
        }

        List<String> keys() {
            return List.copyOf(byKey.keySet());
        }

        /**
         * Makes container {@code id}'s layers what a daemon before init layers made: the read-write
         * layer straight on the image's, its rootfs mounted so. Its upper is still empty (created,
         * never started), so nothing it holds depended on the init layer.
         */
        void withoutInitLayer(String id) throws Exception {
            String init = parents.get("rw/" + id);
            assertThat(init).startsWith("init/");
            reparent(id, parents.get(init));
        }

        /**
         * Makes container {@code id}'s layers what a daemon before shared init layers made: its
         * read-write layer over an init layer of its own, {@code init/ID} (a copy of the shared one).
         */
        void withInitLayerOfItsOwn(String id) throws Exception {
            String shared = parents.get("rw/" + id);
            assertThat(shared).startsWith("init/");
            long next = byKey.values().stream().mapToLong(d -> Long.parseLong(d.getFileName().toString())).max().orElseThrow() + 1;
            Path own = dir.resolve(Long.toString(next));
            sh("cp", "-a", byKey.get(shared).toString(), own.toString());
            ObjectNode info = (ObjectNode) new ObjectMapper().readTree(own.resolve("info.json").toFile());
            info.put("key", "init/" + id);
            Files.writeString(own.resolve("info.json"), new ObjectMapper().writeValueAsString(info));
            byKey.put("init/" + id, own);
            parents.put("init/" + id, parents.get(shared));
            reparent(id, "init/" + id);
        }

        /** Puts read-write layer {@code id} on {@code parent} and mounts its rootfs so. */
        private void reparent(String id, String parent) throws Exception {
            Path rw = byKey.get("rw/" + id);
            ObjectNode info = (ObjectNode) new ObjectMapper().readTree(rw.resolve("info.json").toFile());
            info.put("parent", parent);
            Files.writeString(rw.resolve("info.json"), new ObjectMapper().writeValueAsString(info));
            if (overlay) {
                Path rootfs = root.resolve("exec/bundles").resolve(id).resolve("rootfs");
                List<String> lowers = new ArrayList<>();
                for (String k = parent; k != null; k = parents.get(k)) {
                    lowers.add(byKey.get(k).resolve("fs").toString());
                }
                sh("umount", rootfs.toString());
                sh("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + String.join(":", lowers) + ",upperdir="
                        + rw.resolve("fs") + ",workdir=" + rw.resolve("work") + ",index=off,metacopy=off,redirect_dir=off",
                        rootfs.toString());
            }
        }

        private static void sh(String... cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        }
    }

    private static String run(DaemonProcess d, String... flags) throws Exception {
        String[] args = new String[1 + flags.length + TRAPPER.length];
        args[0] = "run";
        System.arraycopy(flags, 0, args, 1, flags.length);
        System.arraycopy(TRAPPER, 0, args, 1 + flags.length, TRAPPER.length);
        return d.ok(args);
    }

    private static void awaitLogs(DaemonProcess d, String id, String expected) throws Exception {
        for (int i = 0; i < 200 && !d.ok("logs", id).equals(expected); i++) {
            Thread.sleep(25);
        }
        assertThat(d.ok("logs", id)).isEqualTo(expected);
    }
}
