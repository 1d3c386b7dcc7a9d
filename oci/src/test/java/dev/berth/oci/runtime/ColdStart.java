package dev.berth.oci.runtime;

import java.util.List;
import java.util.Map;

/**
 * What berth-runtime does with JSON on its hot path, in a fresh JVM: parse a config.json, write
 * and read back a state record that holds it, write an OCI state. Run by JsonColdStartTest, which
 * looks at the classes it loads; prints how long each step took.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Spec spec = Json.parse(JsonRoundTripTest.FULL, Spec.class);
        long t1 = System.nanoTime();
        var saved = new JsonRoundTripTest.Saved("c1", "/b", 1, 2, false, 0, List.of("/x"), Map.of(), spec);
        String text = Json.write(saved);
        long t2 = System.nanoTime();
        if (!Json.parse(text, JsonRoundTripTest.Saved.class).equals(saved)) {
            throw new AssertionError("state record did not round-trip");
        }
        long t3 = System.nanoTime();
        Json.writePretty(new State("1.2.0", "c1", "running", 1, "/b", null));
        long t4 = System.nanoTime();
        String report = String.format("cold: parse spec %.1f ms, write record %.1f ms, read record %.1f ms, write state %.1f ms",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
        System.out.println(report);
    }
}
