package dev.berth.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a WWW-Authenticate header (RFC 7235 section 4.1):
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"}.
 * The scheme is lower-cased; parameter names are lower-cased, values kept as sent.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /** Every challenge in every given header value; malformed tails are ignored, never thrown. */
    public static List<AuthChallenge> parseAll(List<String> headerValues) {
        List<AuthChallenge> out = new ArrayList<>();
        for (String v : headerValues) {
            out.addAll(parse(v));
        }
        return out;
    }

    /**
     * challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], and a header may hold several,
     * comma-separated. After a comma, "token =" continues the current challenge's parameters and
     * "token" followed by anything else starts a new challenge.
     */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> out = new ArrayList<>();
        Cursor c = new Cursor(header == null ? "" : header);
        while (true) {
            c.skip(" \t,");
            if (c.atEnd()) {
                return out;
            }
            String scheme = c.token();
            if (scheme.isEmpty()) {
                return out; // not a token: give up on the rest
            }
            Map<String, String> params = new LinkedHashMap<>();
            c.skip(" \t");
            while (!c.atEnd()) {
                int mark = c.pos;
                String name = c.token();
                c.skip(" \t");
                if (name.isEmpty() || c.peek() != '=') {
                    c.pos = mark; // a new challenge begins here
                    break;
                }
                c.pos++;
                c.skip(" \t");
                if (c.atEnd() || c.peek() == ',' || c.peek() == '=') {
                    // token68 (e.g. "Negotiate abc=="): keep it whole under "token68"
                    while (!c.atEnd() && c.peek() == '=') {
                        c.pos++;
                    }
                    params.put("token68", header.substring(mark, c.pos).trim());
                } else {
                    params.put(name.toLowerCase(Locale.ROOT), c.peek() == '"' ? c.quoted() : c.token());
                }
                c.skip(" \t");
                if (!c.atEnd() && c.peek() == ',') {
                    c.pos++;
                    c.skip(" \t,");
                }
            }
            out.add(new AuthChallenge(scheme.toLowerCase(Locale.ROOT), Map.copyOf(params)));
        }
    }

    private static final class Cursor {
        private static final String TCHAR = "!#$%&'*+-.^_`|~";
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        void skip(String chars) {
            while (!atEnd() && chars.indexOf(peek()) >= 0) {
                pos++;
            }
        }

        /** RFC 7230 token (plus '/', which token68 and unquoted realms use in the wild). */
        String token() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || TCHAR.indexOf(peek()) >= 0 || peek() == '/' || peek() == ':')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** quoted-string with backslash escapes; an unterminated one runs to the end. */
        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char ch = s.charAt(pos++);
                if (ch == '"') {
                    break;
                }
                if (ch == '\\' && !atEnd()) {
                    ch = s.charAt(pos++);
                }
                b.append(ch);
            }
            return b.toString();
        }
    }
}
