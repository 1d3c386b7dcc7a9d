package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A listening AF_UNIX stream socket bound to a path (unix(7)) that receives file descriptors, as
 * the far end of runc's --console-socket: the runtime connects, sends the pty master with the
 * slave's name in one SCM_RIGHTS message, and hangs up (runc's contrib/cmd/recvtty is the
 * reference receiver). The JDK's UnixDomainSocketAddress channels cannot receive descriptors,
 * hence FFM.
 *
 * <p>Thread-safe for one acceptor at a time. {@link #close()} from another thread wakes an
 * acceptor that is waiting in poll.
 */
public final class UnixSocketServer implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    private static final int SHUT_RDWR = 2, EAGAIN = Errno.EAGAIN;
    /** sizeof(struct sockaddr_un): sa_family_t then char sun_path[108]. */
    private static final int SOCKADDR_UN = 110, SUN_PATH = 108;
    private static final int BACKLOG = 128;

    private static final MethodHandle SOCKET = Libc.bind("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = Libc.bind("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle LISTEN = Libc.bind("listen", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle ACCEPT4 = Libc.bind("accept4", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SHUTDOWN = Libc.bind("shutdown", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UNLINK = Libc.bind("unlink", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS));

    private final Fd fd;
    private final Path path;

    private UnixSocketServer(Fd fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Creates the socket file at {@code path} and listens on it. Fails with EADDRINUSE if the path
     * exists (bind(2) never replaces a file), ENAMETOOLONG if it does not fit sun_path.
     *
     * <p>The listening socket is non-blocking: poll may report a connection that is gone again
     * by the time accept runs, and accept must then come back, not block (accept(2), NOTES).
     */
    public static UnixSocketServer bind(Path path) {
        Path absolute = path.toAbsolutePath();
        byte[] name = absolute.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) {
            throw new SyscallException("bind " + absolute + " (longer than sun_path's " + (SUN_PATH - 1) + " bytes)",
                    Libc.ENAMETOOLONG);
        }
        Fd fd = Fd.adopt((int) Libc.call("socket AF_UNIX",
                st -> (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(SOCKADDR_UN, 2); // zeroed: sun_path ends in NUL
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
            int n = fd.number();
            Libc.call("bind " + absolute, st -> (int) BIND.invokeExact(st, n, addr, SOCKADDR_UN));
            UnixSocketServer server = new UnixSocketServer(fd, absolute);
            try {
                Libc.call("listen " + absolute, st -> (int) LISTEN.invokeExact(st, n, BACKLOG));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Waits at most {@code timeout} for a peer to connect. Throws SyscallException with ETIMEDOUT
     * when none did, and with EBADF once the server is closed.
     */
    public UnixConnection accept(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = fd.number();
            Libc.awaitReadable(n, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), "accept on " + path);
            if (!fd.isOpen()) {
                throw new SyscallException("accept on " + path + " (server closed)", Errno.EBADF);
            }
            int conn;
            try {
                conn = (int) Libc.call("accept on " + path,
                        st -> (int) ACCEPT4.invokeExact(st, n, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC));
            } catch (SyscallException e) {
                if (e.errno().number() == EAGAIN) {
                    continue; // the connection poll saw was reset before we took it
                }
                throw e;
            }
            return new UnixConnection(Fd.adopt(conn), path.toString());
        }
    }

    /**
     * The console-socket exchange: accepts one connection, receives the one descriptor it sends,
     * and closes the connection, all within {@code timeout}.
     */
    public ReceivedFd receiveFd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (UnixConnection conn = accept(timeout)) {
            return conn.receiveFd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /**
     * Stops listening and removes the socket file. shutdown(2) first: it wakes a thread waiting in
     * poll on this socket (close(2) alone would not, and leaves it waiting on a stale number).
     */
    @Override
    public void close() {
        if (!fd.isOpen()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int n = fd.number();
            try {
                Libc.call("shutdown " + path, st -> (int) SHUTDOWN.invokeExact(st, n, SHUT_RDWR));
            } catch (SyscallException e) {
                // ENOTCONN from kernels that refuse to shut down a listener; closing is what matters.
            }
            fd.close();
            MemorySegment name = arena.allocateFrom(path.toString());
            try {
                Libc.call("unlink " + path, st -> (int) UNLINK.invokeExact(st, name));
            } catch (SyscallException e) {
                if (e.errno().number() != Errno.ENOENT) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "UnixSocketServer[" + path + ", " + fd + "]";
    }
}
