package dev.berth.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The /etc/hostname a container gets, written into its directory at create. Its /etc/hosts and
 * /etc/resolv.conf come from {@link dev.berth.engine.network.ContainerNetworking#writeEtcFiles},
 * which rewrites them in place whenever the container's addresses change.
 */
final class EtcFiles {
    private EtcFiles() {}

    static void write(Path dir, String hostname) throws IOException {
        Files.writeString(dir.resolve("hostname"), hostname + "\n");
    }
}
