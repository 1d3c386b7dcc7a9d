package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docker's seccomp profiles (built-in default or user-given) resolved into OCI linux.seccomp for
 * one container, with the decisions moby's profiles/seccomp makes: the ABIs of the archMap entry
 * for the host's architecture, and each rule kept or dropped by its includes/excludes on the
 * container's capabilities (its bounding set), the host's architecture and kernel version.
 */
public final class SeccompProfiles {
    private static final String DEFAULT_RESOURCE = "default-seccomp.json";
    private static volatile DockerSeccompProfile defaultProfile;

    private SeccompProfiles() {}

    /** The host a profile is resolved for: Go's GOARCH name (amd64, arm64, ...) and the kernel release. */
    public record Host(String goArch, String kernel) {
        public static Host current() {
            String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
                case "amd64", "x86_64" -> "amd64";
                case "aarch64", "arm64" -> "arm64";
                case "x86", "i386", "i686" -> "386";
                case "arm" -> "arm";
                default -> System.getProperty("os.arch");
            };
            return new Host(arch, System.getProperty("os.version", "0"));
        }
    }

    /** docker's default profile for a container holding {@code caps}. */
    public static Spec.Seccomp defaultFor(List<String> caps, Host host) {
        return resolve(defaultProfile(), caps, host);
    }

    /** A profile's JSON text (docker's format or OCI's) for a container holding {@code caps}. */
    public static Spec.Seccomp parse(String json, List<String> caps, Host host) {
        DockerSeccompProfile profile;
        try {
            profile = Json.parse(json, DockerSeccompProfile.class);
        } catch (RuntimeException e) {
            throw new EngineException(400, "decoding seccomp profile failed: " + e.getMessage());
        }
        return resolve(profile, caps, host);
    }

    static Spec.Seccomp resolve(DockerSeccompProfile p, List<String> caps, Host host) {
        if (p.architectures() != null && !p.architectures().isEmpty() && p.archMap() != null && !p.archMap().isEmpty()) {
            throw new EngineException(400, "both 'architectures' and 'archMap' are specified in the seccomp profile, "
                    + "use either 'architectures' or 'archMap'");
        }
        List<String> arches = new ArrayList<>();
        if (p.architectures() != null) {
            arches.addAll(p.architectures());
        }
        if (p.archMap() != null) {
            // Only the entry of the host's own ABI counts, with the ABIs its processes may also use.
            String nativeArch = scmpArch(host.goArch());
            for (DockerSeccompProfile.ArchMap m : p.archMap()) {
                if (m.architecture() != null && m.architecture().equals(nativeArch)) {
                    arches.add(m.architecture());
                    if (m.subArchitectures() != null) {
                        arches.addAll(m.subArchitectures());
                    }
                }
            }
        }
        List<Spec.Syscall> rules = new ArrayList<>();
        if (p.syscalls() != null) {
            for (DockerSeccompProfile.Rule r : p.syscalls()) {
                if (r.name() != null && !r.name().isEmpty() && r.names() != null && !r.names().isEmpty()) {
                    throw new EngineException(400, "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
                }
                if (applies(r, caps, host)) {
                    List<String> names = r.name() != null && !r.name().isEmpty() ? List.of(r.name()) : r.names();
                    rules.add(new Spec.Syscall(names, r.action(), r.errnoRet(), r.args()));
                }
            }
        }
        return new Spec.Seccomp(p.defaultAction(), p.defaultErrnoRet(), arches.isEmpty() ? null : List.copyOf(arches),
                p.flags(), p.listenerPath(), p.listenerMetadata(), List.copyOf(rules));
    }

    /** moby's rule filter: any exclude that matches drops the rule; every include must match to keep it. */
    private static boolean applies(DockerSeccompProfile.Rule r, List<String> caps, Host host) {
        DockerSeccompProfile.Filter ex = r.excludes();
        if (ex != null) {
            if (ex.arches() != null && ex.arches().contains(host.goArch())) {
                return false;
            }
            if (ex.caps() != null && ex.caps().stream().anyMatch(caps::contains)) {
                return false;
            }
        }
        DockerSeccompProfile.Filter in = r.includes();
        if (in != null) {
            if (in.arches() != null && !in.arches().isEmpty() && !in.arches().contains(host.goArch())) {
                return false;
            }
            if (in.caps() != null && !caps.containsAll(in.caps())) {
                return false;
            }
            if (in.minKernel() != null && !in.minKernel().isEmpty() && !KernelVersion.atLeast(host.kernel(), in.minKernel())) {
                return false;
            }
        }
        return true;
    }

    /** GOARCH to libseccomp's name, as moby's goToNative table. */
    private static String scmpArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "386" -> "SCMP_ARCH_X86";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "arm" -> "SCMP_ARCH_ARM";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            default -> "SCMP_ARCH_" + goArch.toUpperCase(Locale.ROOT);
        };
    }

    private static DockerSeccompProfile defaultProfile() {
        DockerSeccompProfile p = defaultProfile;
        if (p == null) {
            try (InputStream in = SeccompProfiles.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
                }
                p = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DockerSeccompProfile.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaultProfile = p;
        }
        return p;
    }
}
