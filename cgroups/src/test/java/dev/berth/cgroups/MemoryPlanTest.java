package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order of v1 memory writes: the kernel refuses any moment where limit > memsw limit. */
class MemoryPlanTest {
    static final long MIB = 1 << 20;

    static Spec.Memory mem(Long limit, Long swap) {
        return new Spec.Memory(limit, null, swap, null, null, null, null, null, null);
    }

    static List<String> files(List<CgroupDir.Write> plan) {
        return plan.stream().map(w -> w.file() + "=" + w.value()).toList();
    }

    @Test
    void raisingWritesMemswFirst() {
        var plan = Memory.planV1(mem(256 * MIB, 512 * MIB), true, () -> 64 * MIB);
        assertThat(files(plan)).containsExactly(
                "memory.memsw.limit_in_bytes=" + 512 * MIB, "memory.limit_in_bytes=" + 256 * MIB);
    }

    @Test
    void loweringBelowTheCurrentLimitWritesMemoryFirst() {
        var plan = Memory.planV1(mem(32 * MIB, 48 * MIB), true, () -> 64 * MIB);
        assertThat(files(plan)).containsExactly(
                "memory.limit_in_bytes=" + 32 * MIB, "memory.memsw.limit_in_bytes=" + 48 * MIB);
    }

    @Test
    void fromUnlimitedWritesMemoryFirstAndToUnlimitedMemswFirst() {
        // Fresh cgroup: both unlimited (limit reads 9223372036854771712).
        assertThat(files(Memory.planV1(mem(64 * MIB, 128 * MIB), true, () -> 9223372036854771712L)))
                .containsExactly("memory.limit_in_bytes=" + 64 * MIB, "memory.memsw.limit_in_bytes=" + 128 * MIB);
        assertThat(files(Memory.planV1(mem(-1L, -1L), true, () -> 64 * MIB)))
                .containsExactly("memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1");
    }

    @Test
    void liftingTheLimitAloneLiftsMemswToo() {
        assertThat(files(Memory.planV1(mem(-1L, null), true, () -> 64 * MIB)))
                .containsExactly("memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1");
        assertThat(files(Memory.planV1(mem(-1L, null), false, () -> 64 * MIB)))
                .containsExactly("memory.limit_in_bytes=-1");
    }

    @Test
    void theCurrentLimitIsOnlyReadWhenBothChange() {
        assertThat(files(Memory.planV1(mem(64 * MIB, null), true, () -> { throw new AssertionError(); })))
                .containsExactly("memory.limit_in_bytes=" + 64 * MIB);
    }

    @Test
    void zeroMeansUnsetAsInRunc() {
        assertThat(Memory.planV1(mem(0L, 0L), true, () -> 0)).isEmpty();
    }

    @Test
    void otherFields() {
        var m = new Spec.Memory(null, 32 * MIB, null, 1L << 30, 16 * MIB, 10L, true, null, null);
        assertThat(files(Memory.planV1(m, true, () -> 0))).containsExactly(
                "memory.soft_limit_in_bytes=" + 32 * MIB, "memory.swappiness=10", "memory.oom_control=1",
                "memory.kmem.tcp.limit_in_bytes=" + 16 * MIB);
    }

    @Test
    void swapBelowLimitAndMissingSwapAccountingNameTheField() {
        assertThatThrownBy(() -> Memory.planV1(mem(64 * MIB, 32 * MIB), true, () -> 0))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.memory.swap: ");
        assertThatThrownBy(() -> Memory.planV1(mem(64 * MIB, 128 * MIB), false, () -> 0))
                .hasMessageStartingWith("linux.resources.memory.swap: ")
                .hasMessageContaining("memory.memsw.limit_in_bytes");
    }
}
