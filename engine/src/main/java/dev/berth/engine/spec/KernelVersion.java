package dev.berth.engine.spec;

import dev.berth.engine.EngineException;

/** Kernel release comparison for a seccomp rule's minKernel ("4.8" against "6.18.0-foo"). */
final class KernelVersion {
    private KernelVersion() {}

    static boolean atLeast(String release, String min) {
        int[] have = parse(release, false);
        int[] want = parse(min, true);
        for (int i = 0; i < 2; i++) {
            if (have[i] != want[i]) {
                return have[i] > want[i];
            }
        }
        return true;
    }

    /** major.minor of a release; the rest (patch, "-amd64") does not take part, as in moby. */
    private static int[] parse(String v, boolean strict) {
        String[] parts = v.split("[.\\-+]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            if (strict) {
                throw new EngineException(400, "invalid kernel version: " + v);
            }
            return new int[] {0, 0};
        }
    }
}
