package dev.berth.network.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a namespace file is the daemon's own network namespace. A namespace is identified by
 * the device and inode of its nsfs file (namespaces(7), "The /proc/[pid]/ns/ directory"), the same
 * whether reached through /proc/PID/ns/net or a bind mount of it.
 */
public final class NetnsIdentity {
    private NetnsIdentity() {}

    public static boolean isOwn(Path netnsFile) throws IOException {
        Path own = Path.of("/proc/thread-self/ns/net");
        return Files.readAttributes(netnsFile, "unix:dev,ino").equals(Files.readAttributes(own, "unix:dev,ino"));
    }
}
