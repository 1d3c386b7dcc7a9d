package dev.berth.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The list of primitive operations berth-shim executes for one launch. Built by
 * {@link PlanBuilder}, encoded here in the format of native/src/plan.h.
 */
public record LaunchPlan(List<Op> ops) {
    public static final int VERSION = 2;

    public byte[] encode() {
        var out = new ByteArrayOutputStream(4096);
        ByteBuffer head = le(12).put("BPLN".getBytes()).putInt(VERSION).putInt(ops.size());
        out.writeBytes(head.array());
        for (Op op : ops) {
            ByteBuffer b = le(12 + 8 * op.ints().length);
            b.putShort((short) op.code().code).putShort((short) op.actor().ordinal())
                    .putInt(op.ints().length).putInt(op.strs().size());
            for (long v : op.ints()) {
                b.putLong(v);
            }
            out.writeBytes(b.array());
            for (byte[] s : op.strs()) {
                out.writeBytes(le(4).putInt(s.length).array());
                out.writeBytes(s);
            }
        }
        return out.toByteArray();
    }

    public Optional<Op> at(int index) {
        return index >= 0 && index < ops.size() ? Optional.of(ops.get(index)) : Optional.empty();
    }

    public boolean has(OpCode code) {
        return ops.stream().anyMatch(op -> op.code() == code);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
