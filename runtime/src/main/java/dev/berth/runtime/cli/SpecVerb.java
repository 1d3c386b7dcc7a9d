package dev.berth.runtime.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.runtime.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * `spec [--bundle dir] [--rootless]`: writes a starting config.json, as `runc spec` does. The
 * rootless variant maps the caller's ids into a user namespace and avoids what an unprivileged
 * user cannot mount (a new network namespace's sysfs, devpts with gid=5, cgroup limits).
 */
final class SpecVerb implements Verb {
    @Override
    public String name() {
        return "spec";
    }

    @Override
    public String usage() {
        return "spec [--bundle dir] [--rootless]";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("rootless");
    }

    @Override
    public Set<String> valued() {
        return Set.of("bundle");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("b", "bundle");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        Path config = Path.of(args.value("bundle", ".")).resolve("config.json");
        if (Files.exists(config)) {
            throw new UsageException("File " + config + " exists. Remove it first");
        }
        ObjectNode spec;
        try (InputStream in = SpecVerb.class.getResourceAsStream("default-config.json")) {
            spec = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), ObjectNode.class);
        }
        if (args.flag("rootless")) {
            rootless(spec);
        }
        Files.writeString(config, Json.writePretty(spec) + "\n");
        return 0;
    }

    private static void rootless(ObjectNode spec) {
        ObjectNode linux = (ObjectNode) spec.get("linux");
        linux.remove("resources");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : new String[] {"pid", "ipc", "uts", "mount", "user", "cgroup"}) {
            namespaces.addObject().put("type", type);
        }
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        long gid = new com.sun.security.auth.module.UnixSystem().getGid();
        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", uid).put("size", 1);
        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", gid).put("size", 1);
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            ObjectNode m = (ObjectNode) mounts.get(i);
            String dest = m.get("destination").asText();
            if (dest.equals("/sys/fs/cgroup")) {
                mounts.remove(i);
            } else if (dest.equals("/sys")) {
                m.put("type", "none").put("source", "/sys");
                m.putArray("options").add("rbind").add("nosuid").add("noexec").add("nodev").add("ro");
            } else if (dest.equals("/dev/pts")) {
                ArrayNode opts = m.putArray("options");
                for (String o : new String[] {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}) {
                    opts.add(o);
                }
            }
        }
    }
}
