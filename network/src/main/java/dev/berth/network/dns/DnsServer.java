package dev.berth.network.dns;

import dev.berth.network.Ipv4;
import dev.berth.network.internal.InNetns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The embedded DNS server of one container: UDP on 127.0.0.11:53 inside the container's netns,
 * served by the daemon. The socket is made on a platform thread that setns()ed into the netns
 * ({@link InNetns}), so it belongs to the container's stack, and then read by a virtual thread of
 * the daemon like any other socket.
 *
 * <p>Names of containers on the container's networks are answered here (A records; an empty
 * answer for other types, so that an AAAA query for a container does not leak upstream, as
 * docker does). Every other name is forwarded, byte for byte, to the host's resolvers from the
 * daemon's own netns, which also reaches a resolver on the host's loopback (systemd-resolved).
 * UDP only: no TCP fallback for truncated upstream answers yet.
 */
public final class DnsServer implements AutoCloseable {
    public static final String ADDRESS = "127.0.0.11";
    private static final int PORT = 53, MAX_PACKET = 4096, UPSTREAM_TIMEOUT_MS = 2000;

    private final DatagramChannel channel;
    private final Function<String, List<Ipv4>> names;
    private final List<InetSocketAddress> upstreams;
    private final Thread loop;

    private DnsServer(DatagramChannel channel, Function<String, List<Ipv4>> names, List<InetSocketAddress> upstreams, String label) {
        this.channel = channel;
        this.names = names;
        this.upstreams = List.copyOf(upstreams);
        this.loop = Thread.ofVirtual().name("dns " + label).unstarted(this::serve);
    }

    /**
     * Binds 127.0.0.11:53 in {@code netns} (lo must be up there) and starts serving.
     *
     * @param names a name (lower case, no trailing dot) to the addresses it has; empty for a name
     *     this server does not know, which is then forwarded to {@code upstreams}
     */
    public static DnsServer start(Path netns, String label, Function<String, List<Ipv4>> names, List<InetSocketAddress> upstreams) {
        DatagramChannel ch = InNetns.call(netns, () -> {
            try {
                DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
                try {
                    c.bind(new InetSocketAddress(InetAddress.getByAddress(Ipv4.parse(ADDRESS).bytes()), PORT));
                    return c;
                } catch (IOException e) {
                    c.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("binding " + ADDRESS + ":" + PORT + " in " + netns, e);
            }
        });
        DnsServer server = new DnsServer(ch, names, upstreams, label);
        server.loop.start();
        return server;
    }

    private void serve() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_PACKET);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress client = channel.receive(buf);
                byte[] packet = Arrays.copyOf(buf.array(), buf.position());
                handle(packet, client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad packet or one failed send must not stop the server
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    private void handle(byte[] packet, SocketAddress client) throws IOException {
        Optional<DnsMessage.Query> parsed = DnsMessage.parseQuery(packet, packet.length);
        if (parsed.isEmpty()) {
            reply(DnsMessage.error(packet, packet.length, DnsMessage.RCODE_FORMERR), client);
            return;
        }
        DnsMessage.Query q = parsed.get();
        if (q.isResponse()) {
            return;
        }
        if (q.opcode() != 0) {
            reply(DnsMessage.answer(packet, q, DnsMessage.RCODE_NOTIMP, List.of()), client);
            return;
        }
        List<Ipv4> local = q.qclass() == DnsMessage.CLASS_IN ? names.apply(q.name()) : List.of();
        if (!local.isEmpty()) {
            reply(DnsMessage.answer(packet, q, DnsMessage.RCODE_OK, q.type() == DnsMessage.TYPE_A ? local : List.of()), client);
            return;
        }
        // a slow upstream must not hold up the container's other queries
        Thread.ofVirtual().start(() -> forward(packet, q, client));
    }

    private void forward(byte[] packet, DnsMessage.Query q, SocketAddress client) {
        for (InetSocketAddress upstream : upstreams) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                s.connect(upstream);
                s.send(new DatagramPacket(packet, packet.length));
                DatagramPacket answer = new DatagramPacket(new byte[MAX_PACKET], MAX_PACKET);
                s.receive(answer);
                if (answer.getLength() >= 2 && (ByteBuffer.wrap(answer.getData()).getShort(0) & 0xffff) == q.id()) {
                    reply(Arrays.copyOf(answer.getData(), answer.getLength()), client);
                    return;
                }
            } catch (IOException e) {
                // try the next resolver, as the libc resolver does
            }
        }
        try {
            reply(DnsMessage.answer(packet, q, DnsMessage.RCODE_SERVFAIL, List.of()), client);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void reply(byte[] answer, SocketAddress client) throws IOException {
        channel.send(ByteBuffer.wrap(answer), client);
    }

    /** Stops serving and closes the socket (the netns may outlive us, the port is free again). */
    @Override
    public void close() {
        try {
            channel.close();
            loop.join(2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
