package dev.berth.runtime.plan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One primitive operation of a launch plan.
 *
 * @param subject what the op acts on, for messages ("/proc", "net namespace")
 * @param origin  the config.json field it comes from ("mounts[3]"), or null when it is Berth's own
 */
public record Op(OpCode code, long[] ints, List<byte[]> strs, String subject, String origin) {

    public static Op of(OpCode code, String subject, String origin, long[] ints, String... strs) {
        return new Op(code, ints, Arrays.stream(strs).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(),
                subject, origin);
    }

    public Actor actor() {
        return code.actor;
    }

    public String str(int i) {
        return new String(strs.get(i), StandardCharsets.UTF_8);
    }

    /** A readable one-line form, for `--debug` plan dumps and test failures. */
    @Override
    public String toString() {
        String s = strs.stream().map(b -> b.length > 64 ? "<" + b.length + " bytes>" : new String(b, StandardCharsets.UTF_8))
                .map(x -> '"' + x + '"').collect(Collectors.joining(" "));
        return code + " " + Arrays.toString(ints) + " " + s + (origin == null ? "" : "  (" + origin + ")");
    }
}
