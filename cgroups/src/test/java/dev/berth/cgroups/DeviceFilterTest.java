package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device rule compiler, run on {@link EbpfInterpreter}. */
class DeviceFilterTest {
    static final Spec.DeviceCgroup DENY_ALL = new Spec.DeviceCgroup(false, "a", null, null, "rwm");
    static final Spec.DeviceCgroup ALLOW_ALL = new Spec.DeviceCgroup(true, "a", null, null, "rwm");

    /** runc's default allow list (libcontainer/specconv AllowedDevices), after the deny-all docker and runc start with. */
    static final List<Spec.DeviceCgroup> RUNC_DEFAULT = List.of(DENY_ALL,
            allow("c", 1L, 3L, "rwm"), allow("c", 1L, 5L, "rwm"), allow("c", 1L, 7L, "rwm"), allow("c", 1L, 8L, "rwm"),
            allow("c", 1L, 9L, "rwm"), allow("c", 5L, 0L, "rwm"), allow("c", 5L, 1L, "rwm"), allow("c", 5L, 2L, "rwm"),
            allow("c", 136L, null, "rwm"));

    static Spec.DeviceCgroup allow(String type, Long major, Long minor, String access) {
        return new Spec.DeviceCgroup(true, type, major, minor, access);
    }

    static Spec.DeviceCgroup deny(String type, Long major, Long minor, String access) {
        return new Spec.DeviceCgroup(false, type, major, minor, access);
    }

    static int bits(String access) {
        return (access.contains("m") ? 1 : 0) | (access.contains("r") ? 2 : 0) | (access.contains("w") ? 4 : 0);
    }

    /** Whether the compiled {@code rules} let {@code access} ("r", "rw", "m"...) at device "c 1:3" (type, major, minor) through. */
    static boolean allowed(List<Spec.DeviceCgroup> rules, char type, long major, long minor, String access) {
        return allowed(DeviceFilter.compile(rules), type, major, minor, bits(access));
    }

    static boolean allowed(DeviceFilter f, char type, long major, long minor, int access) {
        int dev = type == 'b' ? DeviceFilter.DEV_BLOCK : DeviceFilter.DEV_CHAR;
        return EbpfInterpreter.run(f.code(), dev, access, major, minor) == 1;
    }

    @Test
    void runcDefaultsOpenOnlyTheirDevices() {
        for (String acc : List.of("r", "w", "m", "rw", "rwm")) {
            assertThat(allowed(RUNC_DEFAULT, 'c', 1, 3, acc)).as("/dev/null %s", acc).isTrue();
            assertThat(allowed(RUNC_DEFAULT, 'c', 1, 5, acc)).as("/dev/zero").isTrue();
            assertThat(allowed(RUNC_DEFAULT, 'c', 5, 2, acc)).as("/dev/ptmx").isTrue();
            assertThat(allowed(RUNC_DEFAULT, 'c', 136, 0, acc)).as("/dev/pts/0").isTrue();
            assertThat(allowed(RUNC_DEFAULT, 'c', 136, 4095, acc)).as("/dev/pts/4095").isTrue();
        }
        assertThat(allowed(RUNC_DEFAULT, 'c', 1, 1, "r")).as("/dev/mem").isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'c', 1, 4, "rw")).as("/dev/port").isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'c', 5, 3, "r")).isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'c', 10, 200, "rw")).as("/dev/net/tun").isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'b', 8, 0, "r")).as("/dev/sda").isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'b', 1, 3, "r")).as("the block device 1:3 is not /dev/null").isFalse();
        assertThat(allowed(RUNC_DEFAULT, 'b', 8, 0, "m")).as("mknod of a disk").isFalse();

        DeviceFilter f = DeviceFilter.compile(RUNC_DEFAULT);
        assertThat(f.defaultAllow()).isFalse();
        assertThat(f.exceptions()).isEqualTo(9);
        assertThat(f.instructions()).isLessThan(100);
    }

    @Test
    void wildcards() {
        List<Spec.DeviceCgroup> mknodAnything = List.of(DENY_ALL, allow("c", null, null, "m"), allow("b", -1L, -1L, "m"));
        assertThat(allowed(mknodAnything, 'c', 10, 200, "m")).isTrue();
        assertThat(allowed(mknodAnything, 'b', 8, 1, "m")).isTrue();
        assertThat(allowed(mknodAnything, 'c', 10, 200, "r")).isFalse();
        assertThat(allowed(mknodAnything, 'b', 8, 1, "rw")).isFalse();

        List<Spec.DeviceCgroup> anyMajorMinor3 = List.of(DENY_ALL, allow("c", null, 3L, "rw"));
        assertThat(allowed(anyMajorMinor3, 'c', 1, 3, "rw")).isTrue();
        assertThat(allowed(anyMajorMinor3, 'c', 77, 3, "r")).isTrue();
        assertThat(allowed(anyMajorMinor3, 'c', 1, 4, "r")).isFalse();
        assertThat(allowed(anyMajorMinor3, 'b', 1, 3, "r")).isFalse();
    }

    @Test
    void typeAIsEveryDeviceWhateverElseItSays() {
        // v1 reads any "a" rule as "a": the numbers and access of it are ignored.
        assertThat(allowed(List.of(new Spec.DeviceCgroup(true, "a", 1L, 3L, "r")), 'b', 8, 0, "rwm")).isTrue();
        assertThat(allowed(List.of(ALLOW_ALL, new Spec.DeviceCgroup(false, null, null, null, "m")), 'c', 1, 3, "r")).isFalse();
        // Allow-all with exceptions: the blacklist form.
        List<Spec.DeviceCgroup> noDisks = List.of(ALLOW_ALL, deny("b", 8L, null, "rwm"), deny("c", 1L, 3L, "w"));
        assertThat(allowed(noDisks, 'b', 8, 16, "r")).isFalse();
        assertThat(allowed(noDisks, 'b', 259, 0, "rw")).isTrue();
        assertThat(allowed(noDisks, 'c', 1, 3, "r")).isTrue();
        assertThat(allowed(noDisks, 'c', 1, 3, "w")).isFalse();
        assertThat(allowed(noDisks, 'c', 1, 3, "rw")).as("one denied bit denies the whole access").isFalse();
        assertThat(allowed(noDisks, 'c', 1, 5, "rwm")).isTrue();
    }

    @Test
    void accessSubsets() {
        List<Spec.DeviceCgroup> readOnly = List.of(DENY_ALL, allow("c", 1L, 3L, "r"));
        assertThat(allowed(readOnly, 'c', 1, 3, "r")).isTrue();
        assertThat(allowed(readOnly, 'c', 1, 3, "w")).isFalse();
        assertThat(allowed(readOnly, 'c', 1, 3, "rw")).as("O_RDWR asks for both").isFalse();
        assertThat(allowed(readOnly, 'c', 1, 3, "m")).isFalse();

        // Bits granted by different rules add up.
        List<Spec.DeviceCgroup> split = List.of(DENY_ALL, allow("c", 1L, null, "r"), allow("c", 1L, 3L, "w"));
        assertThat(allowed(split, 'c', 1, 3, "rw")).isTrue();
        assertThat(allowed(split, 'c', 1, 4, "rw")).isFalse();
        assertThat(allowed(split, 'c', 1, 4, "r")).isTrue();
        // Access in any order and with repeats means the same set.
        assertThat(allowed(List.of(DENY_ALL, allow("c", 1L, 3L, "wr")), 'c', 1, 3, "rw")).isTrue();
        assertThat(allowed(List.of(DENY_ALL, allow("c", 1L, 3L, "")), 'c', 1, 3, "rwm")).as("empty access is rwm").isTrue();
        assertThat(allowed(List.of(DENY_ALL, allow("c", 1L, 3L, null)), 'c', 1, 3, "rwm")).isTrue();
    }

    @Test
    void theLastMatchingRuleWins() {
        List<Spec.DeviceCgroup> thenDenyWrite = List.of(DENY_ALL, allow("c", 1L, 3L, "rwm"), deny("c", 1L, 3L, "w"));
        assertThat(allowed(thenDenyWrite, 'c', 1, 3, "r")).isTrue();
        assertThat(allowed(thenDenyWrite, 'c', 1, 3, "m")).isTrue();
        assertThat(allowed(thenDenyWrite, 'c', 1, 3, "w")).isFalse();
        assertThat(allowed(thenDenyWrite, 'c', 1, 3, "rw")).isFalse();

        List<Spec.DeviceCgroup> thenAllowAgain = List.of(DENY_ALL, deny("c", 1L, 3L, "w"), allow("c", 1L, 3L, "rwm"));
        assertThat(allowed(thenAllowAgain, 'c', 1, 3, "rw")).isTrue();

        // A hole in a wildcard: closed here (v1 would ignore the deny, runc refuses the list).
        List<Spec.DeviceCgroup> hole = List.of(DENY_ALL, allow("c", 1L, null, "rwm"), deny("c", 1L, 3L, "rwm"));
        assertThat(allowed(hole, 'c', 1, 3, "r")).isFalse();
        assertThat(allowed(hole, 'c', 1, 5, "r")).isTrue();

        // A later "a" forgets everything before it.
        assertThat(allowed(List.of(allow("c", 1L, 3L, "rwm"), DENY_ALL), 'c', 1, 3, "r")).isFalse();
        assertThat(allowed(List.of(DENY_ALL, deny("c", 1L, 3L, "rwm"), ALLOW_ALL), 'c', 1, 3, "r")).isTrue();
        DeviceFilter reset = DeviceFilter.compile(List.of(allow("c", 1L, 3L, "rwm"), deny("b", 8L, 0L, "r"), DENY_ALL,
                allow("c", 1L, 5L, "r")));
        assertThat(reset.exceptions()).as("only the rules after the last a are code").isEqualTo(1);
    }

    @Test
    void withoutAnAllRuleTheDefaultIsDeny() {
        assertThat(allowed(List.of(allow("c", 1L, 3L, "rwm")), 'c', 1, 3, "rw")).isTrue();
        assertThat(allowed(List.of(allow("c", 1L, 3L, "rwm")), 'c', 1, 5, "r")).isFalse();
        assertThat(allowed(List.of(deny("c", 1L, 3L, "rwm")), 'c', 1, 5, "r")).isFalse();
        assertThat(DeviceFilter.compile(List.of()).defaultAllow()).isFalse();
        assertThat(DeviceFilter.compile(List.of(ALLOW_ALL)).defaultAllow()).isTrue();
        assertThat(allowed(List.of(ALLOW_ALL), 'b', 8, 0, "rwm")).isTrue();
    }

    @Test
    void numbersPastTwoToThe31AreComparedAsUnsigned() {
        List<Spec.DeviceCgroup> big = List.of(DENY_ALL, allow("c", 0xffff_ffffL, 0x8000_0000L, "r"));
        assertThat(allowed(big, 'c', 0xffff_ffffL, 0x8000_0000L, "r")).isTrue();
        assertThat(allowed(big, 'c', 0xffff_fffeL, 0x8000_0000L, "r")).isFalse();
        assertThat(allowed(big, 'c', 0xffff_ffffL, 0, "r")).isFalse();
        assertThatThrownBy(() -> DeviceFilter.compile(List.of(allow("c", 1L << 32, 0L, "r"))))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.devices[0].major: 4294967296 is larger than");
    }

    @Test
    void badRulesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> DeviceFilter.compile(List.of(DENY_ALL, allow("x", 1L, 3L, "r"))))
                .hasMessageStartingWith("linux.resources.devices[1].type: \"x\" is not a, b or c");
        assertThatThrownBy(() -> DeviceFilter.compile(List.of(allow("c", 1L, 3L, "rx"))))
                .hasMessageStartingWith("linux.resources.devices[0].access: ");
        assertThatThrownBy(() -> DeviceFilter.compile(List.of(DENY_ALL, new Spec.DeviceCgroup(null, "c", 1L, 3L, "r"))))
                .hasMessageStartingWith("linux.resources.devices[1].allow: is required");
    }

    @Test
    void encodingIsStructBpfInsn() {
        byte[] code = DeviceFilter.compile(List.of(ALLOW_ALL)).code();
        assertThat(code.length % 8).isZero();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            // r2 = *(u32 *)(r1 + 0): code 0x61, dst 2 in the low nibble, src 1 in the high one.
            assertThat(Arrays.copyOfRange(code, 0, 8)).containsExactly(0x61, 0x12, 0, 0, 0, 0, 0, 0);
            // r4 = *(u32 *)(r1 + 4): the offset is the s16 at byte 2.
            assertThat(Arrays.copyOfRange(code, 32, 40)).containsExactly(0x61, 0x14, 4, 0, 0, 0, 0, 0);
            // The end: w0 = 1; exit.
            assertThat(Arrays.copyOfRange(code, code.length - 16, code.length))
                    .containsExactly(0xb4, 0x00, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /**
     * Random rule lists against a model written the plain way: for each access bit asked, the
     * last rule after the last "a" that covers the device and the bit decides, else that "a"
     * (deny without one); every bit must be allowed.
     */
    @Test
    void agreesWithTheModelOnRandomRuleLists() {
        Random rnd = new Random(20240611);
        String[] types = {"a", "b", "c", "c", "b", "c", null};
        Long[] majors = {null, -1L, 1L, 5L, 136L, 0xffff_ffffL};
        Long[] minors = {null, 0L, 3L, 5L, 0x8000_0000L};
        long[] devMajors = {1, 5, 136, 7, 0xffff_ffffL};
        long[] devMinors = {0, 3, 5, 9, 0x8000_0000L};
        String[] accesses = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
        for (int round = 0; round < 2000; round++) {
            List<Spec.DeviceCgroup> rules = new ArrayList<>();
            int n = rnd.nextInt(9);
            for (int i = 0; i < n; i++) {
                String t = types[rnd.nextInt(types.length)];
                if (("a".equals(t) || t == null) && rnd.nextInt(3) != 0) t = "c"; // keep "a" rarer
                rules.add(new Spec.DeviceCgroup(rnd.nextBoolean(), t, majors[rnd.nextInt(majors.length)],
                        minors[rnd.nextInt(minors.length)], accesses[rnd.nextInt(accesses.length)]));
            }
            DeviceFilter f = DeviceFilter.compile(rules);
            for (char type : new char[] {'b', 'c'}) {
                for (long major : devMajors) {
                    for (long minor : devMinors) {
                        for (int access = 1; access <= 7; access++) {
                            assertThat(allowed(f, type, major, minor, access))
                                    .as("%s on %s %d:%d access %d", rules, type, major, minor, access)
                                    .isEqualTo(model(rules, type, major, minor, access));
                        }
                    }
                }
            }
        }
    }

    static boolean model(List<Spec.DeviceCgroup> rules, char type, long major, long minor, int access) {
        boolean dflt = false;
        int from = 0;
        for (int i = 0; i < rules.size(); i++) {
            String t = rules.get(i).type();
            if (t == null || t.equals("a")) {
                dflt = rules.get(i).allow();
                from = i + 1;
            }
        }
        for (int bit = 1; bit <= 4; bit <<= 1) {
            if ((access & bit) == 0) continue;
            boolean verdict = dflt;
            for (Spec.DeviceCgroup r : rules.subList(from, rules.size())) {
                boolean covers = r.type().charAt(0) == type
                        && (r.major() == null || r.major() < 0 || r.major() == major)
                        && (r.minor() == null || r.minor() < 0 || r.minor() == minor)
                        && (bits(r.access()) & bit) != 0;
                if (covers) verdict = r.allow();
            }
            if (!verdict) return false;
        }
        return true;
    }
}
