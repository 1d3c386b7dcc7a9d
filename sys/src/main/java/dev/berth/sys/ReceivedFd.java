package dev.berth.sys;

/**
 * A file descriptor that arrived over a unix socket (SCM_RIGHTS, unix(7)) with the bytes of the
 * message that carried it. For a console socket the payload is the pty slave's name, e.g.
 * "/dev/pts/0", as runc sends it (and as its recvtty expects). Closing closes the descriptor.
 *
 * @param fd the descriptor, now ours (received close-on-exec)
 * @param payload the message's data, decoded as UTF-8
 */
public record ReceivedFd(Fd fd, String payload) implements AutoCloseable {
    @Override
    public void close() {
        fd.close();
    }
}
