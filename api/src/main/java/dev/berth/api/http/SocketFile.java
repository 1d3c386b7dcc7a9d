package dev.berth.api.http;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The socket's place in the file system: making room for it before bind, and giving it the
 * mode and group that decide who may talk to the daemon (dockerd: 0660, group "docker").
 */
final class SocketFile {
    /** S_IFMT and S_IFSOCK from inode(7). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFile() {}

    /**
     * Creates the parent directories and removes a socket left by a daemon that died. A socket
     * someone still accepts on is in use: refusing is better than stealing it from a live
     * daemon. A path that is not a socket at all is never deleted.
     */
    static void prepare(Path socket) throws IOException {
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(socket.toString(), null, "exists and is not a socket");
        }
        if (someoneListens(socket)) {
            throw new IOException(socket + " is in use: another server is listening on it");
        }
        Files.deleteIfExists(socket);
    }

    private static boolean someoneListens(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false; // ECONNREFUSED: nobody accepts on it any more
        }
    }

    /** Sets the socket's permissions and, when given, its group (a name or a numeric gid). */
    static void restrict(Path socket, Set<PosixFilePermission> mode, String group) throws IOException {
        if (group != null) {
            GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.setAttribute(socket, "posix:group", principal, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(socket, mode);
    }
}
