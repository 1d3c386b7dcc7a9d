package dev.berth.network.netlink;

import dev.berth.sys.Errno;

/**
 * The kernel refused a netlink request: the NLMSG_ERROR ack's negative errno, named, with the
 * kernel's own explanation when it sent one (extended ack, NLMSGERR_ATTR_MSG), and what we asked.
 */
public final class NetlinkException extends RuntimeException {
    private final Errno errno;
    private final String request;

    public NetlinkException(String request, int errno, String kernelMessage) {
        super(request + ": " + Errno.of(errno).name() + " (" + Errno.of(errno).lowerMessage() + ")"
                + (kernelMessage == null || kernelMessage.isEmpty() ? "" : ": " + kernelMessage));
        this.errno = Errno.of(errno);
        this.request = request;
    }

    public Errno errno() {
        return errno;
    }

    public String request() {
        return request;
    }
}
