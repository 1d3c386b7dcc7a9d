package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * linux.resources.devices compiled to a BPF_PROG_TYPE_CGROUP_DEVICE program, which is how cgroup
 * v2 controls device access (Documentation/admin-guide/cgroup-v2.rst, "Device controller"): the
 * kernel runs it on every open and mknod of a device node with a
 * <pre>
 * struct bpf_cgroup_dev_ctx {
 *     u32 access_type;  // low 16 bits: BPF_DEVCG_DEV_BLOCK 1 / _CHAR 2; high 16: ACC_MKNOD 1 | _READ 2 | _WRITE 4
 *     u32 major;
 *     u32 minor;
 * };
 * </pre>
 * and allows the access if it returns 1 (0 denies with EPERM).
 *
 * <h2>Meaning of a rule list</h2>
 * The rules are read the way they are written to v1's devices.allow/deny, in order:
 * <ul>
 * <li>A type "a" rule sets the default for every device and forgets what came before it; without
 *     one the default is deny (as runc and crun do on v2: the OCI list is an allowlist, and a
 *     cgroup whose list forgot its "deny all" must not silently get every device).
 * <li>After it, the last rule that covers a (device, access bit) pair decides that pair, and a
 *     request (which may ask for read and write at once) is allowed only if every access bit it
 *     asks for is allowed.
 * </ul>
 * For the lists docker and runc write (deny all, then allows) this is exactly v1. Where v1 is
 * quirky it does what the list says instead. v1 keeps one exception per exact type:major:minor
 * and ignores a rule that would carve a hole into a wildcard one ("c 1:* rwm" then "deny c 1:3
 * rwm" leaves 1:3 open in v1, and runc refuses such a list on v2), whereas here 1:3 is closed;
 * and v1 needs a single exception to grant every bit of a request ("c 1:* r" plus "c 1:3 w" does
 * not allow O_RDWR of 1:3 in v1), whereas here the bits may come from different rules.
 *
 * <h2>The program</h2>
 * Rules after the last "a" are emitted in reverse, so the first block that decides is the last
 * rule. r3 holds the access bits not yet decided:
 * <pre>
 *   r2 = ctx->access_type; r3 = r2 >> 16; r2 &= 0xffff; r4 = ctx->major; r5 = ctx->minor
 *   for each rule, last first:
 *     if r2 != TYPE goto next; if r4 != MAJOR goto next; if r5 != MINOR goto next   (wildcards: no test)
 *     allow: r3 &= ~ACCESS; if r3 != 0 goto next; return 1     (every bit asked is now allowed)
 *     deny:  r1 = r3; r1 &= ACCESS; if r1 == 0 goto next; return 0   (a bit still undecided is denied)
 *   next:
 *   return DEFAULT
 * </pre>
 * Every jump goes a few instructions forward, and no code is unreachable, so the verifier has
 * nothing to object to and the program stays small (at most 10 instructions per rule).
 */
final class DeviceFilter {
    /** BPF_DEVCG_DEV_BLOCK / BPF_DEVCG_DEV_CHAR (uapi/linux/bpf.h). */
    static final int DEV_BLOCK = 1, DEV_CHAR = 2;
    /** Offsets in struct bpf_cgroup_dev_ctx. */
    private static final int ACCESS_TYPE = 0, MAJOR = 4, MINOR = 8;

    private final byte[] code;
    private final boolean defaultAllow;
    private final int rules;

    private DeviceFilter(byte[] code, boolean defaultAllow, int rules) {
        this.code = code;
        this.defaultAllow = defaultAllow;
        this.rules = rules;
    }

    /** Compiles {@code devices} (linux.resources.devices, in config order); errors name the entry. */
    static DeviceFilter compile(List<Spec.DeviceCgroup> devices) {
        List<DeviceRule> rules = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            rules.add(DeviceRule.parse(Devices.FIELD + "[" + i + "]", devices.get(i)));
        }
        boolean defaultAllow = false;
        int from = 0;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).allDevices()) {
                defaultAllow = rules.get(i).allow();
                from = i + 1;
            }
        }
        List<DeviceRule> exceptions = rules.subList(from, rules.size());

        EbpfAssembler asm = new EbpfAssembler();
        asm.loadWord(EbpfAssembler.R2, EbpfAssembler.R1, ACCESS_TYPE);
        asm.move(EbpfAssembler.R3, EbpfAssembler.R2);
        asm.alu(EbpfAssembler.ALU32_RSH_K, EbpfAssembler.R3, 16);
        asm.alu(EbpfAssembler.ALU32_AND_K, EbpfAssembler.R2, 0xffff);
        asm.loadWord(EbpfAssembler.R4, EbpfAssembler.R1, MAJOR);
        asm.loadWord(EbpfAssembler.R5, EbpfAssembler.R1, MINOR);
        for (DeviceRule r : exceptions.reversed()) {
            rule(asm, r);
        }
        asm.ret(defaultAllow ? 1 : 0);
        return new DeviceFilter(asm.assemble(), defaultAllow, exceptions.size());
    }

    private static void rule(EbpfAssembler asm, DeviceRule r) {
        EbpfAssembler.Label next = asm.newLabel();
        asm.jumpImm(EbpfAssembler.JMP_JNE_K, EbpfAssembler.R2, r.type() == 'b' ? DEV_BLOCK : DEV_CHAR, next);
        notEqual(asm, EbpfAssembler.R4, r.major(), next);
        notEqual(asm, EbpfAssembler.R5, r.minor(), next);
        if (r.allow()) {
            asm.alu(EbpfAssembler.ALU32_AND_K, EbpfAssembler.R3, ~r.access());
            asm.jumpImm(EbpfAssembler.JMP_JNE_K, EbpfAssembler.R3, 0, next);
            asm.ret(1);
        } else {
            // r1 (the context pointer) is free once the three fields are loaded.
            asm.move(EbpfAssembler.R1, EbpfAssembler.R3);
            asm.alu(EbpfAssembler.ALU32_AND_K, EbpfAssembler.R1, r.access());
            asm.jumpImm(EbpfAssembler.JMP_JEQ_K, EbpfAssembler.R1, 0, next);
            asm.ret(0);
        }
        asm.bind(next);
    }

    /**
     * {@code if (reg != value) goto next}; nothing for a wildcard. A JMP immediate is sign-extended
     * to 64 bits while the loaded u32 is zero-extended, so numbers past 2^31-1 are first put in
     * r1 by a 32-bit move, which zero-extends.
     */
    private static void notEqual(EbpfAssembler asm, int reg, long value, EbpfAssembler.Label next) {
        if (value == DeviceRule.ANY) {
            return;
        }
        if (value <= Integer.MAX_VALUE) {
            asm.jumpImm(EbpfAssembler.JMP_JNE_K, reg, (int) value, next);
        } else {
            asm.alu(EbpfAssembler.ALU32_MOV_K, EbpfAssembler.R1, (int) value);
            asm.jumpReg(EbpfAssembler.JMP_JNE_X, reg, EbpfAssembler.R1, next);
        }
    }

    /** The program, {@code struct bpf_insn[]} in host byte order. */
    byte[] code() {
        return code.clone();
    }

    int instructions() {
        return code.length / EbpfAssembler.INSN_SIZE;
    }

    /** What a device no rule after the last "a" covers gets. */
    boolean defaultAllow() {
        return defaultAllow;
    }

    /** The rules after the last "a", each one block of the program. */
    int exceptions() {
        return rules;
    }

    @Override
    public String toString() {
        return "DeviceFilter[default " + (defaultAllow ? "allow" : "deny") + ", " + rules + " rules, "
                + instructions() + " instructions]";
    }
}
