package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.List;
import java.util.Map;

/** Spec.Resources with one or a few sections set, for tests. */
final class Res {
    private List<Spec.DeviceCgroup> devices;
    private Spec.Memory memory;
    private Spec.Cpu cpu;
    private Spec.Pids pids;
    private Spec.BlockIO blockIO;
    private List<Spec.HugepageLimit> hugepageLimits;
    private Spec.Network network;
    private Map<String, String> unified;

    static Res res() {
        return new Res();
    }

    Res devices(Spec.DeviceCgroup... d) { devices = List.of(d); return this; }
    Res memory(Long limit, Long reservation, Long swap) {
        memory = new Spec.Memory(limit, reservation, swap, null, null, null, null, null, null);
        return this;
    }
    Res memory(Spec.Memory m) { memory = m; return this; }
    Res cpu(Spec.Cpu c) { cpu = c; return this; }
    Res shares(long s) { cpu = new Spec.Cpu(s, null, null, null, null, null, null, null, null); return this; }
    Res quota(Long quota, Long period) { cpu = new Spec.Cpu(null, quota, null, period, null, null, null, null, null); return this; }
    Res cpus(String cpus, String mems) { cpu = new Spec.Cpu(null, null, null, null, null, null, cpus, mems, null); return this; }
    Res pids(long limit) { pids = new Spec.Pids(limit); return this; }
    Res blkioWeight(int w) { blockIO = new Spec.BlockIO(w, null, null, null, null, null, null); return this; }
    Res blockIO(Spec.BlockIO b) { blockIO = b; return this; }
    Res hugetlb(String size, long limit) { hugepageLimits = List.of(new Spec.HugepageLimit(size, limit)); return this; }
    Res network(Spec.Network n) { network = n; return this; }
    Res unified(Map<String, String> u) { unified = u; return this; }

    Spec.Resources build() {
        return new Spec.Resources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, null, unified);
    }
}
