package dev.berth.cli.http;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * Opens (and closes) one unix-domain SocketChannel on a background thread as the CLI starts. The
 * JDK's UnixDomainSockets class seeds a SecureRandom in its static initializer, which loads the
 * security properties and the SUN provider: 10-15 ms of a command's start, the largest single cost
 * after the JVM's own. Done here it overlaps with parsing the flags and building the request on
 * the main thread, whose first connect then finds the class initialized (or waits for it).
 */
public final class SocketWarmup {
    private SocketWarmup() {}

    public static void start() {
        Thread t = new Thread(SocketWarmup::open, "socket-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void open() {
        try {
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException ignored) {
            // the real connect reports whatever is wrong
        }
    }
}
