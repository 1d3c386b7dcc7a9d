package dev.berth.network.dns;

import dev.berth.network.Ipv4;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The little of DNS (RFC 1035 section 4) the embedded server needs: read a query's header and
 * single question, and write an answer of A records, an empty answer, or an error code. Anything
 * else (other names) is forwarded upstream byte for byte and never parsed here.
 */
public final class DnsMessage {
    public static final int TYPE_A = 1, CLASS_IN = 1;
    public static final int RCODE_OK = 0, RCODE_FORMERR = 1, RCODE_SERVFAIL = 2, RCODE_NXDOMAIN = 3, RCODE_NOTIMP = 4;
    /** docker's embedded DNS answers with a TTL of 600 s (libnetwork resolver.go respTTL). */
    static final int TTL = 600;
    private static final int HEADER = 12;

    /** A query's id, flags, question name (lower-cased, no trailing dot), type, class, and where the question ends. */
    public record Query(int id, int flags, String name, int type, int qclass, int questionEnd) {
        public int opcode() {
            return flags >> 11 & 0xf;
        }

        public boolean isResponse() {
            return (flags & 0x8000) != 0;
        }
    }

    private DnsMessage() {}

    /** The query in {@code packet}, or empty when it is not one query with one question that we can read. */
    public static Optional<Query> parseQuery(byte[] packet, int length) {
        if (length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        int id = b.getShort(0) & 0xffff, flags = b.getShort(2) & 0xffff, qdcount = b.getShort(4) & 0xffff;
        if (qdcount != 1) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        int at = HEADER;
        while (true) {
            if (at >= length) {
                return Optional.empty();
            }
            int len = packet[at] & 0xff;
            if (len == 0) {
                at++;
                break;
            }
            // a question has no earlier name to point at (RFC 1035 4.1.4); a pointer or extended label type is malformed here
            if (len > 63 || at + 1 + len > length) {
                return Optional.empty();
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(packet, at + 1, len, StandardCharsets.US_ASCII));
            at += 1 + len;
        }
        if (at + 4 > length) {
            return Optional.empty();
        }
        int type = b.getShort(at) & 0xffff, qclass = b.getShort(at + 2) & 0xffff;
        return Optional.of(new Query(id, flags, name.toString().toLowerCase(Locale.ROOT), type, qclass, at + 4));
    }

    /**
     * A response to {@code query}: its header with QR, AA and RA set and RD copied, the question
     * echoed, and one A record per address (the name as a pointer to the question, offset 12).
     */
    public static byte[] answer(byte[] packet, Query query, int rcode, List<Ipv4> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.putShort((short) query.id());
        int flags = 0x8000 | query.flags() & 0x7800 /* opcode */ | 0x0400 /* AA */ | query.flags() & 0x0100 /* RD */ | 0x0080 /* RA */ | rcode & 0xf;
        h.putShort((short) flags);
        h.putShort((short) 1);
        h.putShort((short) addresses.size());
        h.putShort((short) 0);
        h.putShort((short) 0);
        out.writeBytes(h.array());
        out.write(packet, HEADER, query.questionEnd() - HEADER);
        for (Ipv4 ip : addresses) {
            ByteBuffer rr = ByteBuffer.allocate(16);
            rr.putShort((short) 0xc00c);
            rr.putShort((short) TYPE_A);
            rr.putShort((short) CLASS_IN);
            rr.putInt(TTL);
            rr.putShort((short) 4);
            rr.put(ip.bytes());
            out.writeBytes(rr.array());
        }
        return out.toByteArray();
    }

    /** An error answer for a packet we could not read as a query: its id, QR set, the rcode, nothing else. */
    public static byte[] error(byte[] packet, int length, int rcode) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.putShort(length >= 2 ? ByteBuffer.wrap(packet).getShort(0) : 0);
        h.putShort((short) (0x8000 | 0x0080 | rcode & 0xf));
        return h.array();
    }

    /** A query for {@code name} (tests, and nothing else, write queries). */
    public static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(HEADER).putShort((short) id).putShort((short) 0x0100).putShort((short) 1);
        out.writeBytes(h.array());
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putShort((short) type).putShort((short) CLASS_IN).array());
        return out.toByteArray();
    }
}
