package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Value conversions between config.json, v1 files and v2 files. */
class ConversionsTest {
    @Test
    void cpuSharesToWeight() {
        assertThat(Cpu.sharesToWeight(2)).isEqualTo(1);
        assertThat(Cpu.sharesToWeight(1024)).isEqualTo(39); // docker's default share, runc's answer
        assertThat(Cpu.sharesToWeight(262144)).isEqualTo(10000);
        assertThat(Cpu.sharesToWeight(1)).isEqualTo(1); // clamped like the kernel clamps cpu.shares
        assertThat(Cpu.sharesToWeight(1_000_000)).isEqualTo(10000);
    }

    @Test
    void cpuMaxKeepsWhatTheUpdateDoesNotMention() {
        assertThat(Cpu.cpuMax("max 100000", 50000L, null)).isEqualTo("50000 100000");
        assertThat(Cpu.cpuMax("50000 100000", null, 200000L)).isEqualTo("50000 200000");
        assertThat(Cpu.cpuMax("50000 100000", -1L, null)).isEqualTo("max 100000");
        assertThat(Cpu.cpuMax("max 100000", 25000L, 50000L)).isEqualTo("25000 50000");
    }

    @Test
    void memorySwapOnV2IsSwapAlone() {
        long mib = 1 << 20;
        assertThat(Memory.swapMaxV2(300 * mib, 100 * mib)).isEqualTo(Long.toString(200 * mib));
        assertThat(Memory.swapMaxV2(100 * mib, 100 * mib)).isEqualTo("0");
        assertThat(Memory.swapMaxV2(-1, 100 * mib)).isEqualTo("max");
        assertThat(Memory.swapMaxV2(-1, -1)).isEqualTo("max");
        assertThatThrownBy(() -> Memory.swapMaxV2(50 * mib, 100 * mib))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.memory.swap: ");
        assertThatThrownBy(() -> Memory.swapMaxV2(50 * mib, CgroupStats.UNLIMITED))
                .hasMessageContaining("needs a memory limit");
    }

    @Test
    void blkioWeightToIoWeight() {
        assertThat(Blkio.blkioToIoWeight(10)).isEqualTo(1);
        assertThat(Blkio.blkioToIoWeight(1000)).isEqualTo(10000);
        assertThat(Blkio.blkioToIoWeight(500)).isEqualTo(1 + 490L * 9999 / 990);
        assertThat(Blkio.blkioToIoWeight(5)).isEqualTo(1);
    }

    @Test
    void pidsLimit() {
        assertThat(Pids.value(0)).isEqualTo("max");
        assertThat(Pids.value(-1)).isEqualTo("max");
        assertThat(Pids.value(32)).isEqualTo("32");
    }

    @Test
    void v1UnlimitedReadsAsUnlimited() {
        assertThat(Memory.unlimitedV1(9223372036854771712L)).isEqualTo(CgroupStats.UNLIMITED);
        assertThat(Memory.unlimitedV1(4096)).isEqualTo(4096);
        assertThat(CgroupDir.parseLong("f", "x", "max")).isEqualTo(CgroupStats.UNLIMITED);
        assertThat(CgroupDir.parseLong("f", "x", "18446744073709551615")).isEqualTo(CgroupStats.UNLIMITED);
    }

    @Test
    void deviceRules() {
        assertThat(Devices.rule("f", new Spec.DeviceCgroup(false, null, null, null, "rwm"))).isEqualTo("a");
        assertThat(Devices.rule("f", new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm"))).isEqualTo("c 1:3 rwm");
        assertThat(Devices.rule("f", new Spec.DeviceCgroup(true, "c", 136L, null, "rw"))).isEqualTo("c 136:* rw");
        assertThat(Devices.rule("f", new Spec.DeviceCgroup(true, "b", -1L, -1L, "m"))).isEqualTo("b *:* m");
        assertThat(Devices.rule("f", new Spec.DeviceCgroup(true, "c", 5L, 1L, null))).isEqualTo("c 5:1 rwm");
        assertThatThrownBy(() -> Devices.rule("linux.resources.devices[3]", new Spec.DeviceCgroup(true, "x", 1L, 1L, "r")))
                .hasMessageStartingWith("linux.resources.devices[3].type: ");
        assertThatThrownBy(() -> Devices.rule("f", new Spec.DeviceCgroup(true, "c", 1L, 1L, "rx")))
                .hasMessageContaining("access");
    }

    @Test
    void deviceRulesPlanKeepsOrderAndFiles() {
        List<CgroupDir.Write> plan = Devices.planV1(List.of(
                new Spec.DeviceCgroup(false, null, null, null, "rwm"),
                new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm"),
                new Spec.DeviceCgroup(false, "c", 1L, 3L, "m")));
        assertThat(plan).containsExactly(
                new CgroupDir.Write("linux.resources.devices[0]", "devices.deny", "a"),
                new CgroupDir.Write("linux.resources.devices[1]", "devices.allow", "c 1:3 rwm"),
                new CgroupDir.Write("linux.resources.devices[2]", "devices.deny", "c 1:3 m"));
    }

    @Test
    void deviceRulesPastAU32AreRefusedForV1Too() {
        assertThatThrownBy(() -> Devices.planV1(List.of(new Spec.DeviceCgroup(true, "c", 1L, 1L << 32, "r"))))
                .hasMessageStartingWith("linux.resources.devices[0].minor: ");
    }

    @Test
    void cgroupsPaths() {
        assertThat(CgroupTree.normalize("/berth/abc")).isEqualTo("/berth/abc");
        assertThat(CgroupTree.normalize("berth//abc/")).isEqualTo("/berth/abc");
        assertThatThrownBy(() -> CgroupTree.normalize("/")).hasMessageStartingWith("linux.cgroupsPath: ");
        assertThatThrownBy(() -> CgroupTree.normalize("/a/../../etc")).hasMessageContaining("..");
        assertThatThrownBy(() -> CgroupTree.normalize("system.slice:berth:abc")).hasMessageContaining("systemd");
        assertThatThrownBy(() -> CgroupTree.normalize(null)).isInstanceOf(CgroupException.class);
    }
}
