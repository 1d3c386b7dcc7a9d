package dev.berth.cgroups;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcSelfCgroupTest {
    @Test
    void parsesProcSelfCgroup() {
        List<ProcSelfCgroup.Entry> e = ProcSelfCgroup.parse("""
                3:cpu,cpuacct:/user.slice
                1:name=systemd:/a:b
                0::/
                """);
        assertThat(e.get(0).controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
        assertThat(e.get(1).path()).isEqualTo("/a:b");
        assertThat(e.get(2).unified()).isTrue();
        assertThat(e.get(0).unified()).isFalse();
    }
}
