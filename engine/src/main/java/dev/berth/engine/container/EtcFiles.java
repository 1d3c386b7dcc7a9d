package dev.berth.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The /etc/hostname, /etc/hosts and /etc/resolv.conf a container gets, written into its directory. */
final class EtcFiles {
    private EtcFiles() {}

    static void write(Path dir, String hostname, boolean hostNetwork) throws IOException {
        Files.writeString(dir.resolve("hostname"), hostname + "\n");
        Files.writeString(dir.resolve("hosts"), """
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                """ + (hostNetwork ? "" : "127.0.1.1\t" + hostname + "\n"));
        // The host's resolvers, as docker does for networks without an embedded DNS.
        Path resolv = Path.of("/etc/resolv.conf");
        Files.writeString(dir.resolve("resolv.conf"), Files.exists(resolv) ? Files.readString(resolv) : "");
    }
}
