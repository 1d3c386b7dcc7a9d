package dev.berth.api.http;

/** A parsed request line and header section (RFC 9112 §3 and §5), before any body is read. */
record RequestHead(String method, String target, int minorVersion, Headers headers) {
    String protocol() {
        return "HTTP/1." + minorVersion;
    }
}
