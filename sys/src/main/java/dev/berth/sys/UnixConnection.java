package dev.berth.sys;

import java.time.Duration;

/** One accepted connection of a {@link UnixSocketServer}. */
public final class UnixConnection implements AutoCloseable {
    private final Fd fd;
    private final String what;

    UnixConnection(Fd fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /**
     * Waits at most {@code timeout} for the peer's next message and returns the one file
     * descriptor it carries (SCM_RIGHTS, unix(7)) with its data. Throws SyscallException with
     * ETIMEDOUT when nothing came, EBADMSG when the message had no descriptor or more than one.
     */
    public ReceivedFd receiveFd(Duration timeout) {
        Libc.awaitReadable(fd.number(), timeout, "receive fd on " + what);
        return ScmRights.receive(fd.number(), what);
    }

    /** The connected socket, for callers that speak more than fd passing over it. */
    public Fd fd() {
        return fd;
    }

    @Override
    public void close() {
        fd.close();
    }
}
