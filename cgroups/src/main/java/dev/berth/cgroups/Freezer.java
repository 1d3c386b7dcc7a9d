package dev.berth.cgroups;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Freezing and thawing (pause/resume).
 *
 * <p>v1 (Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst): write FROZEN to
 * freezer.state; the cgroup goes THAWED → FREEZING → FROZEN, and while it reads FREEZING some
 * task has not reached the refrigerator yet. Writing FROZEN again retries the freeze
 * (kernel/cgroup/legacy_freezer.c draws the state machine), so we write and read back until it
 * says FROZEN, and thaw again if it never does, so as not to leave a half-frozen container.
 *
 * <p>v2 (cgroup-v2.rst, "Core Interface Files"): write 1 to cgroup.freeze, then wait until
 * cgroup.events says "frozen 1"; the kernel completes the freeze asynchronously. cgroup.freeze is
 * a core file, present in every non-root v2 cgroup, so a hybrid host without a v1 freezer can
 * still freeze through its unified directory.
 */
final class Freezer {
    static final String FIELD = "freezer";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Freezer() {}

    static void freezeV1(CgroupDir dir) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long sleepMs = 1;
        while (true) {
            dir.write(FIELD, "freezer.state", "FROZEN");
            String state = dir.read(FIELD, "freezer.state");
            if (state.equals("FROZEN")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                dir.write(FIELD, "freezer.state", "THAWED");
                throw new CgroupException(FIELD, "freezer.state still " + state + " after " + TIMEOUT.toSeconds()
                        + "s (a task did not stop, e.g. in uninterruptible sleep); thawed again");
            }
            sleepMs = pause(sleepMs);
        }
    }

    static void thawV1(CgroupDir dir) {
        dir.write(FIELD, "freezer.state", "THAWED");
        await(() -> dir.read(FIELD, "freezer.state").equals("THAWED"), "freezer.state to read THAWED");
    }

    static boolean frozenV1(CgroupDir dir) {
        return dir.read(FIELD, "freezer.state").equals("FROZEN");
    }

    static void freezeV2(CgroupDir dir) {
        dir.write(FIELD, "cgroup.freeze", "1");
        try {
            await(() -> frozenV2(dir), "cgroup.events to say \"frozen 1\"");
        } catch (CgroupException e) {
            dir.write(FIELD, "cgroup.freeze", "0");
            throw e;
        }
    }

    static void thawV2(CgroupDir dir) {
        dir.write(FIELD, "cgroup.freeze", "0");
        await(() -> !frozenV2(dir), "cgroup.events to say \"frozen 0\"");
    }

    static boolean frozenV2(CgroupDir dir) {
        return dir.readKeyed(FIELD, "cgroup.events").getOrDefault("frozen", 0L) == 1;
    }

    private static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long sleepMs = 1;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new CgroupException(FIELD, "timed out after " + TIMEOUT.toSeconds() + "s waiting for " + what);
            }
            sleepMs = pause(sleepMs);
        }
    }

    private static long pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException(FIELD, "interrupted");
        }
        return Math.min(ms * 2, 50);
    }
}
