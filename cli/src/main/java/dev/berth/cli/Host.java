package dev.berth.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which daemon to talk to: -H/--host, else BERTH_HOST, else DOCKER_HOST, else the default
 * socket. Only unix:// addresses are spoken (the daemon serves nothing else).
 */
public record Host(String address, Path socket) {
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    public static Host select(String flag, Map<String, String> env) throws CliException {
        String address = firstSet(flag, env.get("BERTH_HOST"), env.get("DOCKER_HOST"), DEFAULT);
        if (address.startsWith("unix://")) {
            return new Host(address, Path.of(address.substring("unix://".length())));
        }
        if (address.startsWith("/")) {
            return new Host("unix://" + address, Path.of(address));
        }
        throw new CliException("unable to parse docker host `" + address + "`: only unix:// sockets are supported", 1);
    }

    /** A relative socket path (unix://berth.sock) taken from {@code cwd}, the client's, not the CLI server's. */
    public Host resolvedIn(Path cwd) {
        return socket.isAbsolute() ? this : new Host(address, cwd.resolve(socket));
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return DEFAULT;
    }
}
