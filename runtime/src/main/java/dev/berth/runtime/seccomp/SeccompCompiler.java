package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles {@code linux.seccomp} into a classic BPF filter with the meaning runc gives it through
 * libseccomp. The native C side only hands the bytes to {@code seccomp(SECCOMP_SET_MODE_FILTER)}.
 *
 * <p>Layout of the program (see the kernel's Documentation/userspace-api/seccomp_filter.rst):
 * <pre>
 *   load arch; one jeq per AUDIT_ARCH the profile allows; else return KILL_THREAD
 *   per AUDIT_ARCH:
 *     load nr
 *     [x86_64] nr has __X32_SYSCALL_BIT? -> x32 search if SCMP_ARCH_X32 is allowed, else KILL_THREAD
 *     binary search on nr (per ABI: its own syscall numbers) -> shared return | rule block | default
 *     shared returns, then one rule block per call whose rules test arguments
 * </pre>
 * Checking arch first is required: the same number means different calls on different ABIs, and
 * an x86_64 process can still make i386 (int 0x80) or x32 calls. A call from an ABI not allowed
 * gets KILL_THREAD, libseccomp's default "bad arch" action.
 *
 * <p>Rule semantics: the first rule (in config order) whose conditions all hold decides a call.
 * Rules naming calls the ABI does not have are skipped, as runc does. Rules that can never
 * change the result are dropped: those after an unconditional rule for the same call, and
 * trailing ones whose action is the default (runc drops every rule equal to the default; we keep
 * such a rule when a later rule could otherwise take its calls, so that order is respected).
 */
public final class SeccompCompiler {
    /** The kernel refuses longer classic BPF programs (include/uapi/linux/bpf_common.h). */
    public static final int BPF_MAXINSNS = 4096;

    private SeccompCompiler() {
    }

    /** Compiles for the ABI the JVM runs as (x86_64 on the machines berth targets). */
    public static SeccompProgram compile(Spec.Seccomp seccomp) {
        return compile(seccomp, SeccompArch.host());
    }

    /**
     * Compiles for a given native ABI, which is always allowed; {@code linux.seccomp.architectures}
     * adds others.
     *
     * @throws SpecException naming the config field when the profile is invalid or unsupported
     */
    public static SeccompProgram compile(Spec.Seccomp seccomp, SeccompArch nativeArch) {
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(nativeArch, "nativeArch");
        SeccompPolicy policy = SeccompPolicy.parse(seccomp, nativeArch);
        BpfAssembler asm = new BpfAssembler();
        new Writer(asm, policy).write();
        byte[] filter = asm.assemble();
        int count = filter.length / BpfAssembler.INSN_SIZE;
        if (count > BPF_MAXINSNS) {
            throw new SpecException("linux.seccomp: the profile compiles to " + count
                    + " BPF instructions, more than the kernel's limit of " + BPF_MAXINSNS
                    + " (BPF_MAXINSNS); use fewer rules or argument conditions");
        }
        return new SeccompProgram(filter, count, policy.flags());
    }

    /** Writes one policy's program into an assembler. */
    private static final class Writer {
        private final BpfAssembler asm;
        private final SeccompPolicy policy;

        Writer(BpfAssembler asm, SeccompPolicy policy) {
            this.asm = asm;
            this.policy = policy;
        }

        void write() {
            // Group ABIs by AUDIT_ARCH (x86_64 and x32 share one), native first.
            Map<Integer, BpfAssembler.Label> groups = new LinkedHashMap<>();
            for (SeccompArch arch : policy.arches()) {
                groups.computeIfAbsent(arch.auditArch(), a -> asm.newLabel());
            }
            asm.load(SeccompData.ARCH);
            groups.forEach((audit, label) -> asm.branch(BpfAssembler.JMP_JEQ_K, audit, label, null));
            asm.ret(SeccompAction.BAD_ARCH);
            groups.forEach((audit, label) -> {
                asm.bind(label);
                group(audit);
            });
        }

        private void group(int auditArch) {
            Returns returns = new Returns(asm);
            List<Runnable> blocks = new ArrayList<>();
            asm.load(SeccompData.NR);
            if (auditArch == SeccompArch.X86_64.auditArch()) {
                Set<SeccompArch> arches = policy.arches();
                boolean x64 = arches.contains(SeccompArch.X86_64);
                boolean x32 = arches.contains(SeccompArch.X32);
                BpfAssembler.Label x32Start = x32 ? asm.newLabel() : returns.of(SeccompAction.BAD_ARCH);
                asm.branch(BpfAssembler.JMP_JSET_K, SeccompArch.X32_SYSCALL_BIT, x32Start,
                        x64 ? null : returns.of(SeccompAction.BAD_ARCH));
                if (x64) {
                    abi(SeccompArch.X86_64, returns, blocks);
                }
                if (x32) {
                    asm.bind(x32Start);
                    abi(SeccompArch.X32, returns, blocks);
                }
            } else {
                for (SeccompArch arch : policy.arches()) {
                    if (arch.auditArch() == auditArch) {
                        abi(arch, returns, blocks);
                    }
                }
            }
            returns.emit();
            blocks.forEach(Runnable::run);
        }

        /** The search for one ABI; rule blocks it needs are queued in {@code blocks}. */
        private void abi(SeccompArch arch, Returns returns, List<Runnable> blocks) {
            int defaultAction = policy.defaultAction();
            List<SyscallDispatch.Range> ranges = new ArrayList<>();
            rulesByNumber(arch).forEach((nr, rules) -> {
                List<SeccompRule> live = liveRules(rules, defaultAction);
                if (live.isEmpty()) {
                    return;
                }
                BpfAssembler.Label target;
                if (live.getFirst().unconditional()) {
                    target = returns.of(live.getFirst().action());
                } else {
                    target = asm.newLabel();
                    blocks.add(() -> new RuleBlock(asm, arch).emit(target, live, defaultAction));
                }
                SyscallDispatch.Range last = ranges.isEmpty() ? null : ranges.getLast();
                if (last != null && last.hi() == nr - 1 && last.target() == target) {
                    ranges.set(ranges.size() - 1, new SyscallDispatch.Range(last.lo(), nr, target));
                } else {
                    ranges.add(new SyscallDispatch.Range(nr, nr, target));
                }
            });
            SyscallDispatch.emit(asm, ranges, returns.of(defaultAction));
        }

        /** Rules per syscall number of this ABI, in config order; unknown names are skipped. */
        private TreeMap<Integer, List<SeccompRule>> rulesByNumber(SeccompArch arch) {
            SyscallTable table = SyscallTable.of(arch);
            TreeMap<Integer, List<SeccompRule>> byNumber = new TreeMap<>();
            for (SeccompRule rule : policy.rules()) {
                for (String name : rule.names()) {
                    table.number(name).ifPresent(nr -> {
                        List<SeccompRule> list = byNumber.computeIfAbsent(nr, n -> new ArrayList<>());
                        if (list.isEmpty() || list.getLast() != rule) { // a name twice, or two aliases
                            list.add(rule);
                        }
                    });
                }
            }
            return byNumber;
        }

        /** Drops rules that cannot change the outcome (see the class comment). */
        private static List<SeccompRule> liveRules(List<SeccompRule> rules, int defaultAction) {
            List<SeccompRule> live = new ArrayList<>();
            for (SeccompRule rule : rules) {
                live.add(rule);
                if (rule.unconditional()) {
                    break;
                }
            }
            while (!live.isEmpty() && live.getLast().action() == defaultAction) {
                live.removeLast();
            }
            return live;
        }
    }
}
