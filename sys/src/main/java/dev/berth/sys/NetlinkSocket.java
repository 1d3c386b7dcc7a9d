package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/**
 * A netlink(7) socket to the kernel: socket(AF_NETLINK, SOCK_RAW), bound with port id 0 (the
 * kernel assigns one), sending and receiving whole datagrams. Message encoding is the caller's
 * job; this class only moves bytes.
 *
 * <p>A netlink socket belongs to the network namespace its creating thread was in when it was
 * made (netlink(7); the socket keeps a reference to that namespace), so a socket opened on a
 * thread that setns()ed into a container's netns talks to that netns' kernel tables from then on,
 * from any thread.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    private static final int SOL_NETLINK = 270, NETLINK_CAP_ACK = 10, NETLINK_EXT_ACK = 11;
    private static final int MSG_TRUNC = 0x20;
    /** Large enough for any dump datagram: the kernel fills at most 32 KiB per recv (netlink_dump). */
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private static final MethodHandle SOCKET = Libc.bind("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = Libc.bind("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Libc.bind("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = Libc.bind("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = Libc.bind("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private final Fd fd;

    private NetlinkSocket(Fd fd) {
        this.fd = fd;
    }

    /**
     * Opens and binds a socket of {@code protocol} (e.g. {@link #NETLINK_ROUTE}), asking for
     * extended acks (the kernel's own text in NLMSGERR_ATTR_MSG, e.g. "Invalid prefix for given
     * prefix length") and capped acks (no copy of our request in every error).
     */
    public static NetlinkSocket open(int protocol) {
        int n = (int) Libc.call("socket AF_NETLINK",
                st -> (int) SOCKET.invokeExact(st, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
        Fd fd = Fd.adopt(n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            Libc.call("setsockopt NETLINK_EXT_ACK",
                    st -> (int) SETSOCKOPT.invokeExact(st, n, SOL_NETLINK, NETLINK_EXT_ACK, one, 4));
            Libc.call("setsockopt NETLINK_CAP_ACK",
                    st -> (int) SETSOCKOPT.invokeExact(st, n, SOL_NETLINK, NETLINK_CAP_ACK, one, 4));
            // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
            MemorySegment addr = arena.allocate(12, 4);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            Libc.call("bind AF_NETLINK", st -> (int) BIND.invokeExact(st, n, addr, 12));
            return new NetlinkSocket(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Sends one datagram (one or more netlink messages) to the kernel. */
    public void send(byte[] datagram) {
        int n = fd.number();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(datagram.length);
            MemorySegment.copy(datagram, 0, buf, ValueLayout.JAVA_BYTE, 0, datagram.length);
            long sent = Libc.call("send netlink", st -> (long) SEND.invokeExact(st, n, buf, (long) datagram.length, 0));
            if (sent != datagram.length) {
                throw new SyscallException("send netlink (short write " + sent + " of " + datagram.length + ")", Libc.EMSGSIZE);
            }
        }
    }

    /** Receives one datagram, waiting at most {@code timeout}; ETIMEDOUT after that. */
    public byte[] receive(Duration timeout) {
        int n = fd.number();
        Libc.awaitReadable(n, timeout, "recv netlink");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(RECEIVE_BUFFER);
            // MSG_TRUNC makes recv return the datagram's real length, so a truncation is seen, not parsed.
            long got = Libc.call("recv netlink",
                    st -> (long) RECV.invokeExact(st, n, buf, (long) RECEIVE_BUFFER, MSG_TRUNC));
            if (got > RECEIVE_BUFFER) {
                throw new SyscallException("recv netlink (datagram of " + got + " bytes truncated)", Libc.EMSGSIZE);
            }
            return buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
