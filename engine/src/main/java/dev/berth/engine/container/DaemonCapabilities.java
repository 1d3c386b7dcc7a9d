package dev.berth.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities this daemon holds (CapBnd of /proc/self/status): what --privileged grants.
 * Docker asks for every capability the kernel knows and fails where one is missing (as on
 * hosts without CAP_SYS_RESOURCE); Berth grants exactly what it can.
 */
final class DaemonCapabilities {
    private static final List<String> NAMES = dev.berth.runtime.linux.Capabilities.NAMES;

    private DaemonCapabilities() {}

    static List<String> held() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    List<String> caps = new ArrayList<>();
                    for (int i = 0; i < NAMES.size(); i++) {
                        if ((mask & (1L << i)) != 0) {
                            caps.add(NAMES.get(i));
                        }
                    }
                    return caps;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return List.of();
    }
}
