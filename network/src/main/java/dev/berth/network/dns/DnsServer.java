package dev.berth.network.dns;

import dev.berth.network.Ipv4;
import dev.berth.network.internal.InNetns;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The embedded DNS server of one container: 127.0.0.11:53, UDP and TCP, inside the container's
 * netns, served by the daemon. The sockets are made on a platform thread that setns()ed into the
 * netns ({@link InNetns}), so they belong to the container's stack, and then served by virtual
 * threads of the daemon like any other socket.
 *
 * <p>Names of containers on the container's networks are answered here (A records; an empty
 * answer for other types, so that an AAAA query for a container does not leak upstream, as
 * docker does). Every other query is forwarded, byte for byte, to the host's resolvers from the
 * daemon's own netns, which also reaches a resolver on the host's loopback (systemd-resolved):
 * over UDP what came over UDP (a truncated answer keeps its TC bit, and the client retries over
 * TCP, RFC 7766), over TCP what came over TCP.
 */
public final class DnsServer implements AutoCloseable {
    public static final String ADDRESS = "127.0.0.11";
    private static final int PORT = 53, MAX_UDP = 4096, UPSTREAM_TIMEOUT_MS = 2000, TCP_IDLE_MS = 10_000;

    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final Function<String, List<Ipv4>> names;
    private final List<InetSocketAddress> upstreams;
    private final Thread udpLoop, tcpLoop;

    private DnsServer(DatagramChannel udp, ServerSocketChannel tcp, Function<String, List<Ipv4>> names,
            List<InetSocketAddress> upstreams, String label) {
        this.udp = udp;
        this.tcp = tcp;
        this.names = names;
        this.upstreams = List.copyOf(upstreams);
        this.udpLoop = Thread.ofVirtual().name("dns udp " + label).unstarted(this::serveUdp);
        this.tcpLoop = Thread.ofVirtual().name("dns tcp " + label).unstarted(this::serveTcp);
    }

    /**
     * Binds 127.0.0.11:53 (UDP and TCP) in {@code netns} (lo must be up there) and starts serving.
     *
     * @param names a name (lower case, no trailing dot) to the addresses it has; empty for a name
     *     this server does not know, which is then forwarded to {@code upstreams}
     */
    public static DnsServer start(Path netns, String label, Function<String, List<Ipv4>> names, List<InetSocketAddress> upstreams) {
        record Sockets(DatagramChannel udp, ServerSocketChannel tcp) {}
        Sockets s = InNetns.call(netns, () -> {
            DatagramChannel u = null;
            try {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(Ipv4.parse(ADDRESS).bytes()), PORT);
                u = DatagramChannel.open(StandardProtocolFamily.INET);
                u.bind(at);
                ServerSocketChannel t = ServerSocketChannel.open(StandardProtocolFamily.INET);
                try {
                    t.bind(at);
                } catch (IOException e) {
                    t.close();
                    throw e;
                }
                return new Sockets(u, t);
            } catch (IOException e) {
                try {
                    if (u != null) {
                        u.close();
                    }
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new UncheckedIOException("binding " + ADDRESS + ":" + PORT + " in " + netns, e);
            }
        });
        DnsServer server = new DnsServer(s.udp(), s.tcp(), names, upstreams, label);
        server.udpLoop.start();
        server.tcpLoop.start();
        return server;
    }

    // ---- UDP

    private void serveUdp() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_UDP);
        while (udp.isOpen()) {
            try {
                buf.clear();
                SocketAddress client = udp.receive(buf);
                byte[] packet = Arrays.copyOf(buf.array(), buf.position());
                if (isResponse(packet)) {
                    continue; // answering an answer could loop between two servers
                }
                Optional<byte[]> local = answerLocally(packet);
                if (local.isPresent()) {
                    udp.send(ByteBuffer.wrap(local.get()), client);
                } else {
                    // a slow upstream must not hold up the container's other queries
                    Thread.ofVirtual().start(() -> forwardUdp(packet, client));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad packet or one failed send must not stop the server
                if (!udp.isOpen()) {
                    return;
                }
            }
        }
    }

    private void forwardUdp(byte[] packet, SocketAddress client) {
        int id = ByteBuffer.wrap(packet).getShort(0) & 0xffff;
        for (InetSocketAddress upstream : upstreams) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                s.connect(upstream);
                s.send(new DatagramPacket(packet, packet.length));
                DatagramPacket answer = new DatagramPacket(new byte[MAX_UDP], MAX_UDP);
                s.receive(answer);
                if (answer.getLength() >= 2 && (ByteBuffer.wrap(answer.getData()).getShort(0) & 0xffff) == id) {
                    udp.send(ByteBuffer.wrap(answer.getData(), 0, answer.getLength()), client);
                    return;
                }
            } catch (IOException e) {
                // try the next resolver, as the libc resolver does
            }
        }
        try {
            udp.send(ByteBuffer.wrap(serverFailure(packet)), client);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    // ---- TCP: each message is preceded by its 2-byte length (RFC 1035 4.2.2)

    private void serveTcp() {
        while (tcp.isOpen()) {
            try {
                SocketChannel conn = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(conn));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!tcp.isOpen()) {
                    return;
                }
            }
        }
    }

    private void serveConnection(SocketChannel conn) {
        try (Socket s = conn.socket()) {
            s.setSoTimeout(TCP_IDLE_MS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                byte[] query;
                try {
                    query = new byte[in.readUnsignedShort()];
                } catch (EOFException e) {
                    return;
                }
                in.readFully(query);
                if (isResponse(query)) {
                    return;
                }
                byte[] answer = answerLocally(query).orElseGet(() -> forwardTcp(query));
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, sent garbage, or idled out: drop the connection
        }
    }

    private byte[] forwardTcp(byte[] query) {
        for (InetSocketAddress upstream : upstreams) {
            try (Socket s = new Socket()) {
                s.connect(upstream, UPSTREAM_TIMEOUT_MS);
                s.setSoTimeout(UPSTREAM_TIMEOUT_MS);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(query.length);
                out.write(query);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                return answer;
            } catch (IOException e) {
                // try the next resolver
            }
        }
        return serverFailure(query);
    }

    // ---- both

    /** The answer when it is ours to give (a known name, or a query we refuse); empty: forward it. */
    private Optional<byte[]> answerLocally(byte[] packet) {
        Optional<DnsMessage.Query> parsed = DnsMessage.parseQuery(packet, packet.length);
        if (parsed.isEmpty()) {
            return Optional.of(DnsMessage.error(packet, packet.length, DnsMessage.RCODE_FORMERR));
        }
        DnsMessage.Query q = parsed.get();
        if (q.opcode() != 0) {
            return Optional.of(DnsMessage.answer(packet, q, DnsMessage.RCODE_NOTIMP, List.of()));
        }
        List<Ipv4> local = q.qclass() == DnsMessage.CLASS_IN ? names.apply(q.name()) : List.of();
        if (local.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DnsMessage.answer(packet, q, DnsMessage.RCODE_OK, q.type() == DnsMessage.TYPE_A ? local : List.of()));
    }

    private static boolean isResponse(byte[] packet) {
        return packet.length > 2 && (packet[2] & 0x80) != 0;
    }

    private static byte[] serverFailure(byte[] packet) {
        return DnsMessage.parseQuery(packet, packet.length)
                .map(q -> DnsMessage.answer(packet, q, DnsMessage.RCODE_SERVFAIL, List.of()))
                .orElseGet(() -> DnsMessage.error(packet, packet.length, DnsMessage.RCODE_SERVFAIL));
    }

    /** Stops serving and closes the sockets (the netns may outlive us; port 53 is free again there). */
    @Override
    public void close() {
        try {
            udp.close();
            tcp.close();
            udpLoop.join(2000);
            tcpLoop.join(2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
