package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import java.util.Locale;

/**
 * --detach-keys as docker parses it (term.ToBytes): a comma-separated sequence of single
 * characters and {@code ctrl-<key>} (a-z, @, [, \, ], ^, _); the default is ctrl-p,ctrl-q.
 */
final class DetachKeys {
    static final byte[] DEFAULT = {0x10, 0x11};

    private DetachKeys() {}

    static byte[] parse(String text) throws FlagException {
        if (text == null || text.isEmpty()) {
            return DEFAULT;
        }
        String[] keys = text.split(",");
        byte[] out = new byte[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i].trim().toLowerCase(Locale.ROOT);
            if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else if (k.startsWith("ctrl-") && k.length() == 6 && isCtrlKey(k.charAt(5))) {
                char c = k.charAt(5);
                out[i] = (byte) (c >= 'a' && c <= 'z' ? c - 'a' + 1 : c - '@');
            } else {
                throw new FlagException("Invalid detach keys (" + text + ") provided: unknown character: '" + keys[i] + "'");
            }
        }
        return out;
    }

    private static boolean isCtrlKey(char c) {
        return (c >= 'a' && c <= 'z') || "@[\\]^_".indexOf(c) >= 0;
    }
}
