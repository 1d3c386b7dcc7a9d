package dev.berth.cli.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The user's terminal in raw mode for `run -it`, `attach`, `exec -it`, and its size. Done with
 * stty on the inherited terminal rather than termios through FFM: FFM's first downcall costs
 * ~100 ms of start-up, stty ~2 ms, and only interactive commands pay it.
 */
final class TerminalMode implements AutoCloseable {
    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /**
     * For an attached session: raw mode when the session's stdin is the user's terminal and the
     * container has a tty, else nothing to do (and nothing to restore).
     */
    static TerminalMode forSession(dev.berth.cli.Cli cli, boolean tty, boolean stdin) throws IOException {
        return tty && stdin && cli.isTerminal(0) ? raw() : new TerminalMode(null);
    }

    /** Raw mode, no echo; restored by close. */
    static TerminalMode raw() throws IOException {
        String saved = stty("-g").trim();
        stty("raw", "-echo");
        return new TerminalMode(saved);
    }

    /** {rows, columns}, or null when there is no terminal. */
    static int[] size() {
        try {
            String[] s = stty("size").trim().split("\\s+");
            return new int[] {Integer.parseInt(s[0]), Integer.parseInt(s[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return out;
    }

    @Override
    public void close() {
        if (saved == null) {
            return;
        }
        try {
            stty(saved);
        } catch (IOException ignored) {
            // the terminal is gone
        }
    }
}
