package dev.berth.runtime.plan;

import java.util.ArrayList;
import java.util.List;

/** An op list under construction, with short constructors for the common shapes. */
final class Ops {
    private final List<Op> list = new ArrayList<>();

    Ops add(OpCode code, String subject, String origin, long[] ints, String... strs) {
        list.add(Op.of(code, subject, origin, ints, strs));
        return this;
    }

    Ops add(Op op) {
        list.add(op);
        return this;
    }

    Ops addAll(Ops other) {
        list.addAll(other.list);
        return this;
    }

    List<Op> list() {
        return list;
    }

    static long[] ints(long... values) {
        return values;
    }
}
