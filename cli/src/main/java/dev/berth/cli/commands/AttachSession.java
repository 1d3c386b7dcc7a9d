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
 * write half closed at its end so the container sees EOF. With a tty, Ctrl-P Ctrl-Q (docker's
 * default detach keys) ends the session and leaves the container running.
 */
final class AttachSession implements AutoCloseable {
    private static final int CTRL_P = 0x10;
    private static final int CTRL_Q = 0x11;

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

    /** Copies {@code in} to the container on a daemon thread; {@code tty} enables the detach keys. */
    void forwardStdin(InputStream in, boolean tty) {
        Thread t = new Thread(() -> {
            OutputStream out = connection.output();
            byte[] buf = new byte[8192];
            boolean sawCtrlP = false;
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (tty) {
                        for (int i = 0; i < n; i++) {
                            if (sawCtrlP && buf[i] == CTRL_Q) {
                                detached = true;
                                connection.close();
                                return;
                            }
                            sawCtrlP = buf[i] == CTRL_P;
                        }
                    }
                    out.write(buf, 0, n);
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

    boolean detached() {
        return detached;
    }

    @Override
    public void close() {
        connection.close();
    }
}
