package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * linux.resources.blockIO: the v1 blkio controller (Documentation/admin-guide/cgroup-v1/blkio-controller.rst)
 * and the v2 io controller (cgroup-v2.rst, "IO").
 *
 * <p>Weights need a proportional I/O scheduler. v1's blkio.weight and blkio.leaf_weight came
 * from CFQ, which Linux 5.0 removed; with BFQ loaded the weight lives in blkio.bfq.weight (v1) or
 * io.bfq.weight (v2), in the same 1..1000 range, and we use it when the CFQ file is absent, as runc
 * does. A weight asked for on a kernel with neither is an error naming the field, never a silent
 * skip: the user asked for an isolation property we cannot give. leafWeight exists only with CFQ.
 * v2 without BFQ takes io.weight (1..10000), mapped linearly from the blkio range.
 *
 * <p>Throttles: blkio.throttle.{read,write}_{bps,iops}_device "MAJ:MIN RATE" (0 removes the rule)
 * on v1; io.max "MAJ:MIN rbps=RATE" etc. on v2, where 0 is written as "max".
 */
final class Blkio implements Controller {
    static final String FIELD = "linux.resources.blockIO";

    @Override public String v1Name() { return "blkio"; }
    @Override public String v2Name() { return "io"; }
    @Override public String field() { return FIELD; }

    /** The four throttle lists, their v1 file and v2 io.max key. */
    private record Throttle(String name, String v1File, String v2Key) {
        List<Spec.ThrottleDevice> of(Spec.BlockIO b) {
            return switch (name) {
                case "throttleReadBpsDevice" -> b.throttleReadBpsDevice();
                case "throttleWriteBpsDevice" -> b.throttleWriteBpsDevice();
                case "throttleReadIOPSDevice" -> b.throttleReadIOPSDevice();
                default -> b.throttleWriteIOPSDevice();
            };
        }
    }

    private static final List<Throttle> THROTTLES = List.of(
            new Throttle("throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps"),
            new Throttle("throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps"),
            new Throttle("throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops"),
            new Throttle("throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops"));

    @Override
    public boolean requested(Spec.Resources r) {
        Spec.BlockIO b = r.blockIO();
        return b != null && (b.weight() != null || b.leafWeight() != null || nonEmpty(b.weightDevice())
                || THROTTLES.stream().anyMatch(t -> nonEmpty(t.of(b))));
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        Spec.BlockIO b = r.blockIO();
        if (b.weight() != null) {
            dir.write(FIELD + ".weight", weightFileV1(dir, FIELD + ".weight"), Integer.toString(b.weight()));
        }
        if (b.leafWeight() != null) {
            requireLeafWeight(dir, FIELD + ".leafWeight");
            dir.write(FIELD + ".leafWeight", "blkio.leaf_weight", Integer.toString(b.leafWeight()));
        }
        List<Spec.WeightDevice> wds = orEmpty(b.weightDevice());
        for (int i = 0; i < wds.size(); i++) {
            Spec.WeightDevice wd = wds.get(i);
            String field = FIELD + ".weightDevice[" + i + "]";
            String dev = device(field, wd.major(), wd.minor());
            if (wd.weight() != null) {
                dir.write(field + ".weight", weightFileV1(dir, field + ".weight") + "_device", dev + " " + wd.weight());
            }
            if (wd.leafWeight() != null) {
                requireLeafWeight(dir, field + ".leafWeight");
                dir.write(field + ".leafWeight", "blkio.leaf_weight_device", dev + " " + wd.leafWeight());
            }
        }
        for (Throttle t : THROTTLES) {
            List<Spec.ThrottleDevice> list = orEmpty(t.of(b));
            for (int i = 0; i < list.size(); i++) {
                String field = FIELD + "." + t.name() + "[" + i + "]";
                Spec.ThrottleDevice td = list.get(i);
                dir.write(field, t.v1File(), device(field, td.major(), td.minor()) + " " + rate(field, td));
            }
        }
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        Spec.BlockIO b = r.blockIO();
        if (b.leafWeight() != null) {
            throw new CgroupException(FIELD + ".leafWeight", "not supported on cgroup v2 (leaf weights were a CFQ feature)");
        }
        if (b.weight() != null) {
            String field = FIELD + ".weight";
            WeightFile wf = weightFileV2(dir, field);
            dir.write(field, wf.file(), "default " + wf.convert(b.weight()));
        }
        List<Spec.WeightDevice> wds = orEmpty(b.weightDevice());
        for (int i = 0; i < wds.size(); i++) {
            Spec.WeightDevice wd = wds.get(i);
            String field = FIELD + ".weightDevice[" + i + "]";
            if (wd.leafWeight() != null) {
                throw new CgroupException(field + ".leafWeight", "not supported on cgroup v2 (leaf weights were a CFQ feature)");
            }
            if (wd.weight() != null) {
                WeightFile wf = weightFileV2(dir, field + ".weight");
                dir.write(field + ".weight", wf.file(), device(field, wd.major(), wd.minor()) + " " + wf.convert(wd.weight()));
            }
        }
        for (Throttle t : THROTTLES) {
            List<Spec.ThrottleDevice> list = orEmpty(t.of(b));
            for (int i = 0; i < list.size(); i++) {
                String field = FIELD + "." + t.name() + "[" + i + "]";
                Spec.ThrottleDevice td = list.get(i);
                long rate = rate(field, td);
                dir.write(field, "io.max", device(field, td.major(), td.minor()) + " " + t.v2Key() + "="
                        + (rate == 0 ? "max" : Long.toString(rate)));
            }
        }
    }

    /**
     * io.weight from a blkio weight: the linear map of [10, 1000] onto [1, 10000]
     * ({@code 1 + (w - 10) * 9999 / 990}), the conversion runc and crun share.
     */
    static long blkioToIoWeight(long w) {
        long clamped = Math.clamp(w, 10, 1000);
        return 1 + (clamped - 10) * 9999 / 990;
    }

    private record WeightFile(String file, boolean bfq) {
        long convert(int weight) {
            return bfq ? weight : blkioToIoWeight(weight);
        }
    }

    private static String weightFileV1(CgroupDir dir, String field) {
        if (dir.has("blkio.weight")) return "blkio.weight";
        if (dir.has("blkio.bfq.weight")) return "blkio.bfq.weight";
        throw new CgroupException(field, "this kernel has no proportional I/O weights here: neither blkio.weight"
                + " (CFQ, removed in Linux 5.0) nor blkio.bfq.weight (load the bfq I/O scheduler) exists in " + dir);
    }

    private static WeightFile weightFileV2(CgroupDir dir, String field) {
        if (dir.has("io.bfq.weight")) return new WeightFile("io.bfq.weight", true);
        if (dir.has("io.weight")) return new WeightFile("io.weight", false);
        throw new CgroupException(field, "this kernel has no proportional I/O weights here: neither io.bfq.weight"
                + " nor io.weight exists in " + dir + " (io.weight needs the io.cost controller, io.bfq.weight the bfq scheduler)");
    }

    private static void requireLeafWeight(CgroupDir dir, String field) {
        if (!dir.has("blkio.leaf_weight")) {
            throw new CgroupException(field, "not supported by this kernel: blkio.leaf_weight belonged to the CFQ"
                    + " scheduler, removed in Linux 5.0");
        }
    }

    private static String device(String field, Long major, Long minor) {
        if (major == null || minor == null) {
            throw new CgroupException(field, "major and minor are required");
        }
        return major + ":" + minor;
    }

    private static long rate(String field, Spec.ThrottleDevice td) {
        if (td.rate() == null || td.rate() < 0) {
            throw new CgroupException(field + ".rate", "must be given and not negative (0 removes the limit)");
        }
        return td.rate();
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    // ---- stats

    /**
     * v1: the throttle layer counts every bio whatever the scheduler, so its _recursive files are
     * the ones docker reads; lines are "MAJ:MIN Op N", closed by "Total N".
     */
    static CgroupStats.BlkioStats statsV1(CgroupDir dir) {
        return new CgroupStats.BlkioStats(
                v1Entries(dir, "blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_service_bytes"),
                v1Entries(dir, "blkio.throttle.io_serviced_recursive", "blkio.throttle.io_serviced"));
    }

    private static List<CgroupStats.BlkioEntry> v1Entries(CgroupDir dir, String file, String fallback) {
        String f = dir.has(file) ? file : dir.has(fallback) ? fallback : null;
        List<CgroupStats.BlkioEntry> out = new ArrayList<>();
        if (f == null) {
            return out;
        }
        for (String line : dir.lines("stats", f)) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 3 && p[0].contains(":")) {
                String[] mm = p[0].split(":");
                out.add(new CgroupStats.BlkioEntry(Long.parseLong(mm[0]), Long.parseLong(mm[1]), p[1],
                        CgroupDir.parseLong("stats", f, p[2])));
            }
        }
        return out;
    }

    /** v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device. */
    static CgroupStats.BlkioStats statsV2(CgroupDir dir) {
        List<CgroupStats.BlkioEntry> bytes = new ArrayList<>();
        List<CgroupStats.BlkioEntry> ios = new ArrayList<>();
        if (!dir.has("io.stat")) {
            return new CgroupStats.BlkioStats(bytes, ios);
        }
        for (String line : dir.lines("stats", "io.stat")) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 2 || !p[0].contains(":")) continue;
            String[] mm = p[0].split(":");
            long major = Long.parseLong(mm[0]);
            long minor = Long.parseLong(mm[1]);
            for (int i = 1; i < p.length; i++) {
                String[] kv = p[i].split("=", 2);
                if (kv.length != 2) continue;
                long v = CgroupDir.parseLong("stats", "io.stat", kv[1]);
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Read", v));
                    case "wbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Write", v));
                    case "dbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Discard", v));
                    case "rios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Read", v));
                    case "wios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Write", v));
                    case "dios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Discard", v));
                    default -> { }
                }
            }
        }
        return new CgroupStats.BlkioStats(bytes, ios);
    }
}
