package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * linux.resources.hugepageLimits: hugetlb.&lt;size&gt;.limit_in_bytes on v1
 * (Documentation/admin-guide/cgroup-v1/hugetlb.rst), hugetlb.&lt;size&gt;.max on v2 (cgroup-v2.rst,
 * "HugeTLB"). Where the kernel has reservation accounting (5.7+) the matching .rsvd limit is set
 * to the same value, as runc does, so a mapping cannot reserve pages it could never fault in.
 *
 * <p>On a hybrid host hugetlb may live only in the v2 mount (it does on this project's CI host);
 * the v1 manager then hands this controller the unified directory and calls {@link #applyV2}.
 */
final class Hugetlb implements Controller {
    static final String FIELD = "linux.resources.hugepageLimits";
    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]*[KMG]B");
    private static final Pattern V1_FILE = Pattern.compile("hugetlb\\.([0-9]+[KMG]B)\\.limit_in_bytes");
    private static final Pattern V2_FILE = Pattern.compile("hugetlb\\.([0-9]+[KMG]B)\\.max");

    @Override public String v1Name() { return "hugetlb"; }
    @Override public String v2Name() { return "hugetlb"; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.hugepageLimits() != null && !r.hugepageLimits().isEmpty();
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        apply(dir, r.hugepageLimits(), ".limit_in_bytes", ".rsvd.limit_in_bytes", false);
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        apply(dir, r.hugepageLimits(), ".max", ".rsvd.max", true);
    }

    private static void apply(CgroupDir dir, List<Spec.HugepageLimit> limits, String suffix, String rsvdSuffix, boolean v2) {
        for (int i = 0; i < limits.size(); i++) {
            Spec.HugepageLimit l = limits.get(i);
            String field = FIELD + "[" + i + "]";
            String size = l.pageSize();
            if (size == null || !PAGE_SIZE.matcher(size).matches()) {
                throw new CgroupException(field + ".pageSize", "\"" + size + "\" is not a page size like 2MB or 1GB");
            }
            if (l.limit() == null) {
                throw new CgroupException(field + ".limit", "is required");
            }
            String file = "hugetlb." + size + suffix;
            if (!dir.has(file)) {
                throw new CgroupException(field + ".pageSize", "this kernel has no " + size + " huge pages (no " + file
                        + "; available: " + pageSizes(dir, v2, field) + ")");
            }
            String value = l.limit() < 0 ? (v2 ? "max" : "-1") : Long.toString(l.limit());
            dir.write(field + ".limit", file, value);
            String rsvd = "hugetlb." + size + rsvdSuffix;
            if (dir.has(rsvd)) {
                dir.write(field + ".limit", rsvd, value);
            }
        }
    }

    /** Page sizes this cgroup has files for, e.g. [1GB, 2MB]. */
    static List<String> pageSizes(CgroupDir dir, boolean v2, String field) {
        Pattern p = v2 ? V2_FILE : V1_FILE;
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir.path())) {
            files.forEach(f -> {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches()) out.add(m.group(1));
            });
        } catch (IOException e) {
            throw new CgroupException(field, "list " + dir + ": " + CgroupDir.reason(e), e);
        }
        return List.copyOf(out);
    }

    static List<CgroupStats.HugetlbStats> statsV1(CgroupDir dir) {
        List<CgroupStats.HugetlbStats> out = new ArrayList<>();
        for (String size : pageSizes(dir, false, "stats")) {
            String pre = "hugetlb." + size + ".";
            out.add(new CgroupStats.HugetlbStats(size, dir.readLong("stats", pre + "usage_in_bytes"),
                    dir.readLong("stats", pre + "max_usage_in_bytes"), dir.readLong("stats", pre + "failcnt")));
        }
        return out;
    }

    static List<CgroupStats.HugetlbStats> statsV2(CgroupDir dir) {
        List<CgroupStats.HugetlbStats> out = new ArrayList<>();
        for (String size : pageSizes(dir, true, "stats")) {
            String pre = "hugetlb." + size + ".";
            long failcnt = dir.has(pre + "events") ? dir.readKeyed("stats", pre + "events").getOrDefault("max", 0L) : 0;
            out.add(new CgroupStats.HugetlbStats(size, dir.readLong("stats", pre + "current"), 0, failcnt));
        }
        return out;
    }
}
