/**
 * The HTTP/1.1 server the Docker Engine API is served on: a unix socket, one virtual thread per
 * connection, and nothing between the handler and the socket.
 *
 * <p>DESIGN.md named Netty for this. We wrote the server instead because the one hard part of
 * the Engine API's transport is hijacking (attach, exec start: the connection stops being HTTP
 * and becomes two raw byte streams, one of which the client half-closes). With a blocking
 * socket per virtual thread that is "hand over the streams"; with an event loop it is a
 * pipeline rewrite. The protocol subset docker clients use is small: RFC 9112 message framing
 * (Content-Length, chunked both ways), persistent connections, {@code Expect: 100-continue}.
 *
 * <p>Map of the package:
 * <ul>
 *   <li>{@link dev.berth.api.http.UnixHttpServer}: socket file, accept loop, graceful stop.
 *   <li>{@code HttpConnection}: the per-connection request loop and keep-alive decisions.
 *   <li>{@code RequestHeadReader}, {@code RequestFraming}, {@code ChunkedBodyInput},
 *       {@code FixedLengthBodyInput}: parsing, each after its RFC 9112 section.
 *   <li>{@link dev.berth.api.http.Request}, {@link dev.berth.api.http.Query},
 *       {@link dev.berth.api.http.Headers}: what a handler reads.
 *   <li>{@link dev.berth.api.http.Response}, {@link dev.berth.api.http.ResponseStream},
 *       {@link dev.berth.api.http.Hijacked}: the ways to answer.
 *   <li>{@link dev.berth.api.http.Router}: dockerd's routing (version prefixes, greedy image
 *       names, 404 for everything unknown).
 *   <li>{@link dev.berth.api.http.StdStream}: docker's 8-byte-header stream multiplexing.
 * </ul>
 *
 * <p>Not here on purpose: idle-connection timeouts (clients on a local socket are trusted
 * enough, and dockerd sets none either), TLS and TCP listeners, HTTP/2.
 */
package dev.berth.api.http;
