package dev.berth.sys;

/** A system call failed; carries the call's name and the errno. */
public final class SyscallException extends RuntimeException {
    private final String call;
    private final Errno errno;

    public SyscallException(String call, int errno) {
        super(call + ": " + Errno.of(errno).lowerMessage());
        this.call = call;
        this.errno = Errno.of(errno);
    }

    public String call() {
        return call;
    }

    public Errno errno() {
        return errno;
    }
}
