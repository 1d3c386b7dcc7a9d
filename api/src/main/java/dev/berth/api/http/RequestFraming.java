package dev.berth.api.http;

import java.util.List;

/**
 * Decides where a request body ends, by RFC 9112 §6.3:
 * <ol>
 *   <li>Transfer-Encoding with chunked last: chunked (§7.1). Another final coding: 400, since the
 *       length cannot be known; a coding we do not implement: 501 (§6.1).
 *   <li>Both Transfer-Encoding and Content-Length: rejected with 400. §6.1 allows that, and it
 *       shuts the door on request smuggling through a proxy that reads the other one.
 *   <li>Content-Length: that many bytes; repeated or comma-listed values must agree (§6.3 rule 5).
 *   <li>Neither: no body (rule 7).
 * </ol>
 */
final class RequestFraming {
    private RequestFraming() {}

    static BodyInput open(RequestHead head, ChannelInput in, int lineLimit) throws MalformedRequestException {
        Headers h = head.headers();
        List<String> codings = h.tokens("Transfer-Encoding");
        boolean hasLength = h.contains("Content-Length");
        if (h.contains("Transfer-Encoding")) {
            if (head.minorVersion() == 0) {
                // §6.1: an HTTP/1.0 message with Transfer-Encoding is faulty.
                throw new MalformedRequestException("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (hasLength) {
                throw new MalformedRequestException("both Transfer-Encoding and Content-Length");
            }
            if (codings.isEmpty() || !codings.getLast().equals("chunked")) {
                throw new MalformedRequestException("the final transfer coding must be chunked");
            }
            if (codings.size() > 1) {
                String other = codings.getFirst();
                if (other.equals("chunked")) {
                    throw new MalformedRequestException("chunked applied more than once"); // §7.1
                }
                throw new MalformedRequestException(501, "transfer coding not implemented: " + other);
            }
            return new ChunkedBodyInput(in, lineLimit);
        }
        if (hasLength) {
            long length = contentLength(h);
            return length == 0 ? new BodyInput.Empty() : new FixedLengthBodyInput(in, length);
        }
        return new BodyInput.Empty();
    }

    private static long contentLength(Headers h) throws MalformedRequestException {
        long length = -1;
        for (String value : h.all("Content-Length")) {
            for (String element : value.split(",", -1)) {
                String digits = element.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new MalformedRequestException("invalid Content-Length: " + value);
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new MalformedRequestException("conflicting Content-Length values");
                }
                length = n;
            }
        }
        return length;
    }
}
