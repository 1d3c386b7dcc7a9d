package dev.berth.api.routes;

import dev.berth.engine.EngineException;
import java.io.ByteArrayOutputStream;

/**
 * docker's detach keys ("ctrl-p,ctrl-q" by default; a comma-separated list of "ctrl-<x>" or
 * single characters): typed on an attached stdin, they end the attach and leave the container
 * running. Bytes that start the sequence are held back until it is clear whether it completes;
 * if not, they are passed on.
 */
final class DetachKeys {
    static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] sequence;
    private int matched;
    private boolean detached;

    private DetachKeys(byte[] sequence) {
        this.sequence = sequence;
    }

    static DetachKeys parse(String spec) {
        String[] keys = (spec == null || spec.isEmpty() ? DEFAULT : spec).split(",");
        byte[] sequence = new byte[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i].trim();
            if (k.length() == 1) {
                sequence[i] = (byte) k.charAt(0);
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char c = Character.toLowerCase(k.charAt(5));
                if (c >= 'a' && c <= 'z') {
                    sequence[i] = (byte) (c - 'a' + 1);
                } else if ("@[\\]^_".indexOf(c) >= 0) {
                    sequence[i] = (byte) ("@[\\]^_".indexOf(c) == 0 ? 0 : 27 + "[\\]^_".indexOf(c));
                } else {
                    throw new EngineException(400, "Invalid detach keys (" + spec + ") provided");
                }
            } else {
                throw new EngineException(400, "Invalid detach keys (" + spec + ") provided");
            }
        }
        return new DetachKeys(sequence);
    }

    /** The bytes of {@code buf[0, n)} to pass on to the container; sets {@link #detached()} when the sequence is typed. */
    byte[] filter(byte[] buf, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 0; i < n && !detached; i++) {
            byte b = buf[i];
            if (b == sequence[matched]) {
                matched++;
                if (matched == sequence.length) {
                    detached = true;
                }
                continue;
            }
            out.write(sequence, 0, matched); // a false start: what was held back goes through
            matched = 0;
            if (b == sequence[0]) {
                matched = 1;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    boolean detached() {
        return detached;
    }
}
