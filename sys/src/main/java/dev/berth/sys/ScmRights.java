package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives one message carrying one file descriptor: recvmsg(2) with a control buffer, walked as
 * cmsg(3) describes, for the SCM_RIGHTS message of unix(7).
 */
final class ScmRights {
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8, MSG_CMSG_CLOEXEC = 0x40000000;

    /** runc reads the name into a buffer of this size (MaxNameLen, libcontainer/utils/cmsg.go RecvFd). */
    static final int MAX_PAYLOAD = 4096;
    /** Room for a few descriptors, so that a sender that sends too many is caught, not truncated. */
    private static final int MAX_FDS = 8;

    // struct msghdr and struct iovec of <sys/socket.h> on LP64 (socklen_t is 4 bytes, padded).
    private static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));
    private static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));
    private static final long MSG_IOV = offset(MSGHDR, "msg_iov"), MSG_IOVLEN = offset(MSGHDR, "msg_iovlen"),
            MSG_CONTROL = offset(MSGHDR, "msg_control"), MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen"),
            MSG_FLAGS = offset(MSGHDR, "msg_flags");

    // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then data, each header
    // aligned to sizeof(size_t): CMSG_ALIGN, CMSG_LEN and CMSG_SPACE of cmsg(3).
    private static final long CMSG_HDR = 16, CMSG_ALIGN = 8;
    private static final long CONTROL_SIZE = CMSG_HDR + align(4L * MAX_FDS);

    private static final MethodHandle RECVMSG = Libc.bind("recvmsg", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private ScmRights() {}

    /**
     * One recvmsg on {@code socket}. On a stream socket the descriptor rides with the first byte of
     * the sender's data, so one call that gets any data gets the descriptor too (unix(7), "Ancillary
     * messages"). Descriptors arrive close-on-exec (MSG_CMSG_CLOEXEC) so that no process this JVM
     * starts inherits a container's console. Anything but exactly one descriptor is an error, and
     * every descriptor that did arrive is closed.
     */
    static ReceivedFd receive(int socket, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(MAX_PAYLOAD);
            MemorySegment control = arena.allocate(CONTROL_SIZE, CMSG_ALIGN);
            MemorySegment iov = arena.allocate(IOVEC);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
            MemorySegment msg = arena.allocate(MSGHDR);
            msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
            msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1L);
            msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
            msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, CONTROL_SIZE);

            long n = Libc.call("recvmsg " + what,
                    st -> (long) RECVMSG.invokeExact(st, socket, msg, MSG_CMSG_CLOEXEC));
            List<Fd> fds = descriptors(control, msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN));
            String problem = null;
            if ((msg.get(ValueLayout.JAVA_INT, MSG_FLAGS) & MSG_CTRUNC) != 0) {
                problem = "more file descriptors than " + MAX_FDS + " (control data truncated)";
            } else if (fds.size() > 1) {
                problem = "expected one file descriptor, got " + fds.size();
            } else if (fds.isEmpty()) {
                problem = n == 0 ? "peer closed the connection without sending a file descriptor"
                        : "message carried no file descriptor";
            }
            if (problem != null) {
                fds.forEach(Fd::close);
                throw new SyscallException("receive fd on " + what + ": " + problem, Libc.EBADMSG);
            }
            byte[] payload = data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            return new ReceivedFd(fds.getFirst(), new String(payload, StandardCharsets.UTF_8));
        }
    }

    /** Every descriptor in every SCM_RIGHTS header of {@code length} bytes of control data. */
    private static List<Fd> descriptors(MemorySegment control, long length) {
        List<Fd> fds = new ArrayList<>();
        long at = 0;
        while (at + CMSG_HDR <= length) {
            long len = control.get(ValueLayout.JAVA_LONG, at);
            if (len < CMSG_HDR || at + len > length) {
                break;
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (long p = at + CMSG_HDR; p + 4 <= at + len; p += 4) {
                    fds.add(Fd.adopt(control.get(ValueLayout.JAVA_INT, p)));
                }
            }
            at += align(len);
        }
        return fds;
    }

    private static long align(long n) {
        return (n + CMSG_ALIGN - 1) & -CMSG_ALIGN;
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
