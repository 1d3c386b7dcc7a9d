package dev.berth.api.http;

import java.io.IOException;

/**
 * Reads a request line and header fields as RFC 9112 lays them out:
 *
 * <pre>
 *   request-line = method SP request-target SP HTTP-version CRLF      (§3)
 *   field-line   = field-name ":" OWS field-value OWS CRLF             (§5)
 *   CRLF                                                               (end of head)
 * </pre>
 *
 * The whole head is held to {@code maxBytes}; past it the answer is 431 (RFC 6585 §5), as Go's
 * server (and so dockerd) does, rather than reading without end.
 */
final class RequestHeadReader {
    /** RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. */
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    private RequestHeadReader() {}

    /** The next head, or null if the client closed the connection cleanly before sending one. */
    static RequestHead read(ChannelInput in, int maxBytes) throws IOException {
        int budget = maxBytes;
        String requestLine;
        int empties = 0;
        try {
            while (true) {
                requestLine = in.readLine(budget);
                if (requestLine == null) {
                    return null;
                }
                budget -= requestLine.length() + 2;
                if (!requestLine.isEmpty()) {
                    break;
                }
                if (++empties > MAX_LEADING_EMPTY_LINES) {
                    throw new MalformedRequestException("missing request line");
                }
            }
            String[] parts = parseRequestLine(requestLine);
            int minor = parseVersion(parts[2]);
            Headers headers = new Headers();
            while (true) {
                String line = in.readLine(budget);
                if (line == null) {
                    throw new MalformedRequestException("connection closed inside the request head");
                }
                budget -= line.length() + 2;
                if (line.isEmpty()) {
                    break;
                }
                addField(headers, line);
            }
            return new RequestHead(parts[0], parts[1], minor, headers);
        } catch (ChannelInput.LineTooLongException e) {
            throw new MalformedRequestException(431, "request header fields too large (limit " + maxBytes + " bytes)");
        }
    }

    private static String[] parseRequestLine(String line) throws MalformedRequestException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new MalformedRequestException("malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!Tokens.isToken(method)) {
            throw new MalformedRequestException("malformed method");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new MalformedRequestException("malformed request target");
            }
        }
        return new String[] {method, target, version};
    }

    /** HTTP/1.0 and HTTP/1.1 are served; another major version gets 505 (RFC 9110 §15.6.6). */
    private static int parseVersion(String v) throws MalformedRequestException {
        if (v.length() != 8 || !v.startsWith("HTTP/") || v.charAt(6) != '.'
                || !Character.isDigit(v.charAt(5)) || !Character.isDigit(v.charAt(7))) {
            throw new MalformedRequestException("malformed HTTP version");
        }
        if (v.charAt(5) != '1') {
            throw new MalformedRequestException(505, "HTTP version not supported");
        }
        return v.charAt(7) - '0';
    }

    private static void addField(Headers headers, String line) throws MalformedRequestException {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            // obs-fold: RFC 9112 §5.2 lets a server reject it, and no docker client sends it.
            throw new MalformedRequestException("obsolete line folding in header");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new MalformedRequestException("malformed header line");
        }
        String name = line.substring(0, colon);
        if (!Tokens.isToken(name)) {
            // Includes whitespace before the colon, which RFC 9112 §5.1 says MUST be rejected.
            throw new MalformedRequestException("malformed header name");
        }
        String value = strip(line.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == 0 || c < ' ' && c != '\t' || c == 0x7f) {
                throw new MalformedRequestException("invalid character in header " + name);
            }
        }
        headers.add(name, value);
    }

    /** Drops OWS (SP and HTAB only, RFC 9110 §5.6.3) from both ends. */
    private static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }
}
