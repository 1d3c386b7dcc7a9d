package dev.berth.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding (RFC 3986 §2.1) of a path or of a query component. Bytes decode as UTF-8;
 * malformed escapes or UTF-8 are errors, as in Go's url.PathUnescape, which dockerd relies on.
 */
final class PercentDecoder {
    private PercentDecoder() {}

    /** Decodes a path: '+' stays '+'. */
    static String path(String s) throws MalformedRequestException {
        return decode(s, false);
    }

    /**
     * Decodes one name or value of a query string. '+' means space there
     * (application/x-www-form-urlencoded, which Go's url.ParseQuery follows).
     */
    static String queryComponent(String s) throws MalformedRequestException {
        return decode(s, true);
    }

    private static String decode(String s, boolean plusIsSpace) throws MalformedRequestException {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new MalformedRequestException("invalid URL escape in " + s);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                // Request targets are ASCII (checked by the parser), so one char is one byte.
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException("invalid UTF-8 in URL: " + s);
        }
    }
}
