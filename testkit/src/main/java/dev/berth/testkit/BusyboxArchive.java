package dev.berth.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A `docker save` archive of a one-layer busybox image made on the spot from the static
 * /bin/busybox (nothing can be pulled here), to `docker load` into a daemon under test.
 */
public final class BusyboxArchive {
    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "ls", "id", "hostname", "sleep", "true",
            "false", "env", "pwd", "grep", "wc", "head", "touch", "mkdir", "ps", "seq", "uname", "date", "kill", "nc", "ip", "readlink");

    private BusyboxArchive() {}

    public static Path write(Path file, String tag) throws Exception {
        return write(file, tag, "");
    }

    /** The same image with {@code extraConfig} (e.g. {@code "Volumes":{"/data":{}}}) added to its config. */
    public static Path write(Path file, String tag, String extraConfig) throws Exception {
        byte[] layer = layer();
        String diffId = sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-01-01T00:00:00Z\","
                + "\"config\":{" + (extraConfig.isEmpty() ? "" : extraConfig + ",")
                + "\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configName = sha256(config) + ".json";
        byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":[\"" + diffId + "/layer.tar\"]}]")
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            add(tar, configName, config);
            add(tar, diffId + "/layer.tar", layer);
            add(tar, "manifest.json", manifest);
        }
        return file;
    }

    private static byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : List.of("bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/")) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(d.equals("tmp/") ? 01777 : 0755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
            TarArchiveEntry bb = new TarArchiveEntry("bin/busybox");
            bb.setMode(0755);
            bb.setSize(busybox.length);
            tar.putArchiveEntry(bb);
            tar.write(busybox);
            tar.closeArchiveEntry();
            for (String applet : APPLETS) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            add(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n".getBytes());
            add(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes());
        }
        return bytes.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0644);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
