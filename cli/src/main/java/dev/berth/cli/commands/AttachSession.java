package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.StdStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A hijacked attach (or exec start) connection: output copied to the user's streams, demultiplexed
 * unless the container has a tty; stdin, when wanted, copied from the user on its own thread, the
 * write half closed at its end so the container sees EOF. With a tty, the detach keys (docker's
 * default Ctrl-P Ctrl-Q, or --detach-keys) end the session and leave the container running; a
 * partial match is held back and sent on once the next key shows it was not the sequence.
 */
final class AttachSession implements AutoCloseable {
    private final HttpResponse connection;
    private volatile boolean detached;

    private AttachSession(HttpResponse connection) {
        this.connection = connection;
    }

    static AttachSession attach(Cli cli, String id, boolean stdin, boolean stdout, boolean stderr) throws CliException {
        Api.Query q = Api.query().put("stream", true).put("stdin", stdin).put("stdout", stdout).put("stderr", stderr);
        return new AttachSession(cli.api().hijack("/containers/" + Api.segment(id) + "/attach", q, null));
    }

    /** An exec start (POST /exec/{id}/start), hijacked the same way. */
    static AttachSession execStart(Cli cli, String execId, boolean tty) throws CliException {
        String body = "{\"Detach\":false,\"Tty\":" + tty + "}";
        return new AttachSession(cli.api().hijack("/exec/" + execId + "/start", null,
                dev.berth.cli.http.UnixHttpClient.Body.json(body)));
    }

    /** Copies {@code in} to the container on a daemon thread; {@code detachKeys} apply with a tty. */
    void forwardStdin(InputStream in, boolean tty, byte[] detachKeys) {
        Thread t = new Thread(() -> {
            OutputStream out = connection.output();
            byte[] buf = new byte[8192];
            int matched = 0;
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (!tty) {
                        out.write(buf, 0, n);
                        out.flush();
                        continue;
                    }
                    java.io.ByteArrayOutputStream send = new java.io.ByteArrayOutputStream(n);
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == detachKeys[matched]) {
                            if (++matched == detachKeys.length) {
                                detached = true;
                                connection.close();
                                return;
                            }
                            continue;
                        }
                        send.write(detachKeys, 0, matched); // not the sequence after all
                        matched = 0;
                        if (buf[i] == detachKeys[0]) {
                            matched = 1;
                        } else {
                            send.write(buf[i]);
                        }
                    }
                    send.writeTo(out);
                    out.flush();
                }
                connection.closeOutput();
            } catch (IOException ignored) {
                // the container or the connection ended first
            }
        }, "stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Copies the container's output until it ends (or the user detaches). */
    void copyOutput(OutputStream out, OutputStream err) throws IOException {
        try {
            if (connection.multiplexed()) {
                StdStreamReader.copy(connection.body(), out, err);
            } else {
                InputStream in = connection.body();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            if (!detached) {
                throw e;
            }
        }
        out.flush();
        err.flush();
    }

    /** A container's session: with a tty it follows the terminal's size, without one the user's signals go to it (--sig-proxy). */
    static void follow(Cli cli, String id, boolean tty, boolean sigProxy) {
        if (tty) {
            Resize.container(cli, id);
        } else if (sigProxy) {
            SignalProxy.forward(cli, id);
        }
    }

    /**
     * The rest of an attached session, once the caller has started what it runs: the user's stdin
     * copied in (when attached), the output copied out until it ends. True when the detach keys
     * ended it (the container runs on).
     */
    boolean pump(Cli cli, boolean stdin, boolean tty, byte[] detachKeys) throws IOException {
        if (stdin) {
            forwardStdin(cli.in(), tty, detachKeys);
        }
        copyOutput(cli.out(), cli.err());
        return detached;
    }

    @Override
    public void close() {
        connection.close();
    }
}
