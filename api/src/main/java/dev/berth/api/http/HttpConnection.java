package dev.berth.api.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted connection, served on its own virtual thread: read a request, hand it to the
 * handler, answer, and loop while the connection persists (RFC 9112 §9.3).
 *
 * <p>The connection is <em>idle</em> only while it waits for the first byte of a request: that is
 * the one moment a graceful stop may close it without cutting an exchange short (RFC 9112 §9.6).
 */
final class HttpConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final UnixHttpServer server;
    private final ServerConfig config;
    private final SocketChannel channel;
    private final ChannelInput in;
    private final ChannelOutput rawOut;
    private final BufferedOutputStream out;

    private boolean idle;
    private boolean closing;

    // Per exchange.
    private boolean expectsContinue;
    private boolean finalHeadSent;
    private boolean broken;
    private volatile Thread watcher;
    private volatile boolean clientGone;
    private volatile boolean exchangeOver;
    private final List<Runnable> goneActions = new ArrayList<>();

    HttpConnection(UnixHttpServer server, ServerConfig config, SocketChannel channel) {
        this.server = server;
        this.config = config;
        this.channel = channel;
        this.in = new ChannelInput(channel, 16 * 1024);
        this.rawOut = new ChannelOutput(channel);
        this.out = new BufferedOutputStream(rawOut, 16 * 1024);
    }

    @Override
    public void run() {
        try {
            while (enterIdle() && in.awaitData() && leaveIdle()) {
                if (!serveOne()) {
                    break;
                }
            }
        } catch (ClosedChannelException e) {
            // Closed by stop(), or by a handler that owned a hijacked stream.
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection ended: {0}", e.toString());
        } finally {
            exchangeOver = true;
            closeChannel();
            server.connectionEnded(this);
        }
    }

    /** Serves one exchange; false when the connection must not carry another. */
    private boolean serveOne() throws IOException {
        resetExchange();
        RequestHead head;
        Request request;
        try {
            head = RequestHeadReader.read(in, config.maxHeaderBytes());
            if (head == null) {
                return false;
            }
            checkHost(head);
            BodyInput body = RequestFraming.open(head, in, config.maxHeaderBytes());
            request = new Request(head, body, config.json());
            expectsContinue = expectation(head);
            body.beforeFirstRead(this::sendContinue);
        } catch (MalformedRequestException e) {
            Response.rejectUnparsed(this, e.status(), e.getMessage());
            return false;
        }

        Response response = new Response(this, request);
        try {
            config.handler().handle(request, response);
            response.finish();
        } catch (Throwable failure) {
            if (failure instanceof VirtualMachineError vme && !(failure instanceof StackOverflowError)) {
                throw vme;
            }
            if (!response.committed() && channel.isOpen()) {
                answerFailure(request, response, failure);
            } else {
                // The head is out: HTTP/1.1 has no way to turn this into an error now, so the
                // client sees the body end early (RFC 9112 §8) and knows the response is incomplete.
                if (!(failure instanceof ClientGoneException) && !(failure instanceof ClosedChannelException)) {
                    LOG.log(Level.WARNING, "{0} failed after the response began: {1}", request, failure.toString());
                }
                return false;
            }
        } finally {
            exchangeOver = true;
        }
        if (response.hijacked() || broken || watcher != null || !response.keepAlive()) {
            return false;
        }
        // Whatever body the handler left unread stands between us and the next request.
        BodyInput body = request.bodyInput();
        if (!body.finished()) {
            if (expectsContinue && !body.started()) {
                return false; // the client may never send it; only closing tells it where we are
            }
            return body.drain(config.drainLimit());
        }
        return true;
    }

    private void answerFailure(Request request, Response response, Throwable failure) throws IOException {
        ErrorMapper.HttpError error = config.errorMapper().map(failure);
        if (error == null) {
            error = ErrorMapper.fallback(failure);
        }
        if (error.status() >= 500) {
            LOG.log(Level.WARNING, request + " failed", failure);
        }
        if (failure instanceof MalformedRequestException) {
            response.forceClose();
        }
        response.error(error.status(), error.message());
    }

    /** RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host field gets 400. */
    private static void checkHost(RequestHead head) throws MalformedRequestException {
        int hosts = head.headers().all("Host").size();
        if (hosts > 1 || hosts == 0 && head.minorVersion() >= 1) {
            throw new MalformedRequestException(hosts == 0 ? "missing required Host header" : "too many Host headers");
        }
    }

    /**
     * RFC 9110 §10.1.1: "100-continue" is the only expectation; anything else may get 417. An
     * HTTP/1.0 client cannot have meant it, so there it is ignored.
     */
    private static boolean expectation(RequestHead head) throws MalformedRequestException {
        String expect = head.headers().get("Expect");
        if (expect == null || head.minorVersion() == 0) {
            return false;
        }
        if (!expect.equalsIgnoreCase("100-continue")) {
            throw new MalformedRequestException(417, "unsupported expectation: " + expect);
        }
        return true;
    }

    /** The interim 100 goes out only while no final response has (RFC 9110 §15.2.1). */
    private void sendContinue() {
        if (expectsContinue && !finalHeadSent) {
            try {
                out.write(CONTINUE);
                out.flush();
            } catch (IOException e) {
                // The body read that follows will fail on the same broken connection.
            }
        }
    }

    private void resetExchange() {
        expectsContinue = false;
        finalHeadSent = false;
        exchangeOver = false;
    }

    // --- idle tracking for graceful stop ---

    private synchronized boolean enterIdle() {
        if (closing || server.stopping()) {
            return false;
        }
        idle = true;
        return true;
    }

    private synchronized boolean leaveIdle() {
        idle = false;
        return !closing;
    }

    /** Closes the connection if it sits between requests; a busy one finishes its exchange first. */
    synchronized void closeIfIdle() {
        if (idle) {
            closing = true;
            closeChannel();
        }
    }

    void forceClose() {
        synchronized (this) {
            closing = true;
        }
        closeChannel();
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    // --- client-gone watching for streamed responses ---

    /**
     * Starts, once, a virtual thread that reads the socket until the client closes it. It first
     * drops what remains of the request body, then anything else (a pipelined request is lost,
     * which is why streamed responses say Connection: close).
     */
    synchronized void watchClient(BodyInput body) {
        if (watcher != null) {
            return;
        }
        watcher = Thread.ofVirtual().name("berth-api-watch").start(() -> {
            try {
                body.drain(Long.MAX_VALUE);
                byte[] scratch = new byte[4096];
                while (in.read(scratch, 0, scratch.length) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // reset or closed: gone either way
            }
            if (!exchangeOver) {
                markClientGone();
            }
        });
    }

    void onClientGone(Runnable action) {
        boolean runNow;
        synchronized (goneActions) {
            runNow = clientGone;
            if (!runNow) {
                goneActions.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    private void markClientGone() {
        List<Runnable> actions;
        synchronized (goneActions) {
            clientGone = true;
            actions = List.copyOf(goneActions);
            goneActions.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "client-gone action failed", e);
            }
        }
    }

    boolean clientGone() {
        return clientGone;
    }

    // --- for Response and friends ---

    ServerConfig config() {
        return config;
    }

    BufferedOutputStream out() {
        return out;
    }

    ChannelOutput rawOut() {
        return rawOut;
    }

    ChannelInput in() {
        return in;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean stopping() {
        return server.stopping();
    }

    boolean expectsContinue() {
        return expectsContinue;
    }

    void sentFinalHead() {
        finalHeadSent = true;
    }

    /** The response framing went wrong; the connection cannot carry another exchange. */
    void markBroken() {
        broken = true;
    }
}
