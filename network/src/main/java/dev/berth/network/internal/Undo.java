package dev.berth.network.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The steps that undo what an operation has done so far, run newest first when it fails halfway
 * (DESIGN.md: every operation that creates kernel objects undoes them on failure). A step that
 * fails itself is attached to the original failure as suppressed, and the rest still run.
 */
public final class Undo {
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    public void push(Step step) {
        steps.push(step);
    }

    /** Undoes everything pushed so far, newest first, and returns {@code failure} to rethrow. */
    public <T extends Throwable> T rollback(T failure) {
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }
}
