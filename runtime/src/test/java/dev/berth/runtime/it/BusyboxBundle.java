package dev.berth.runtime.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI bundle made on the spot from the static busybox of busybox-static (nothing can be
 * pulled here): rootfs/bin/busybox, a symlink per applet, and the default config.json of
 * `berth-runtime spec` with a non-terminal process, ready for tests to adjust.
 */
final class BusyboxBundle {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    final Path dir;
    final ObjectNode config;

    private BusyboxBundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    static BusyboxBundle create(Path dir, String... args) throws IOException, InterruptedException {
        Path rootfs = dir.resolve("rootfs");
        for (String d : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
            }
        }
        list.waitFor();
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
        ObjectNode config;
        try (InputStream in = BusyboxBundle.class.getResourceAsStream("/dev/berth/runtime/cli/default-config.json")) {
            config = (ObjectNode) Json.mapper().readTree(in);
        }
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        ((ObjectNode) config.get("root")).put("readonly", false);
        BusyboxBundle b = new BusyboxBundle(dir, config);
        b.args(args.length == 0 ? new String[] {"true"} : args);
        b.write();
        return b;
    }

    BusyboxBundle args(String... args) {
        ArrayNode a = ((ObjectNode) config.get("process")).putArray("args");
        for (String s : args) {
            a.add(s);
        }
        return this;
    }

    ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    ObjectNode linux() {
        return (ObjectNode) config.get("linux");
    }

    ObjectNode resources() {
        ObjectNode linux = linux();
        return linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
    }

    Path rootfs() {
        return dir.resolve("rootfs");
    }

    BusyboxBundle write() throws IOException {
        Files.writeString(dir.resolve("config.json"), Json.writePretty(config));
        return this;
    }
}
