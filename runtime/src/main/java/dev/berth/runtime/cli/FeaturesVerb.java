package dev.berth.runtime.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.runtime.Json;
import dev.berth.runtime.Container;
import dev.berth.runtime.linux.Capabilities;
import dev.berth.runtime.linux.NamespaceType;
import java.util.List;

/** `features`: what this runtime implements, in the runtime spec's features.md document. */
final class FeaturesVerb implements Verb {
    private static final List<String> HOOKS = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
    private static final List<String> MOUNT_OPTIONS = List.of("async", "atime", "bind", "defaults", "dev", "diratime",
            "dirsync", "exec", "lazytime", "mand", "noatime", "nodev", "nodiratime", "noexec", "nolazytime", "nomand",
            "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "rbind", "relatime", "remount", "ro",
            "rprivate", "rshared", "rslave", "runbindable", "rw", "shared", "slave", "strictatime", "suid", "symfollow",
            "sync", "unbindable");

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String usage() {
        return "features";
    }

    @Override
    public int run(Args args, Context ctx) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("ociVersionMin", "1.0.0").put("ociVersionMax", Container.OCI_VERSION);
        strings(root.putArray("hooks"), HOOKS);
        strings(root.putArray("mountOptions"), MOUNT_OPTIONS);
        ObjectNode linux = root.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (NamespaceType t : NamespaceType.values()) {
            ns.add(t.specName);
        }
        strings(linux.putArray("capabilities"), Capabilities.NAMES);
        linux.putObject("cgroup").put("v1", true).put("v2", true).put("systemd", false).put("systemdUser", false).put("rdma", false);
        ObjectNode seccomp = linux.putObject("seccomp").put("enabled", true);
        strings(seccomp.putArray("actions"), List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"));
        strings(seccomp.putArray("operators"), List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"));
        strings(seccomp.putArray("archs"), List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"));
        strings(seccomp.putArray("supportedFlags"), List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
        linux.putObject("apparmor").put("enabled", false);
        linux.putObject("selinux").put("enabled", false);
        linux.putObject("intelRdt").put("enabled", false);
        root.putObject("annotations").put("dev.berth.runtime.version", Main.VERSION);
        ctx.out().println(Json.writePretty(root));
        return 0;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
