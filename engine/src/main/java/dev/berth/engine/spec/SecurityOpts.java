package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** HostConfig.SecurityOpt: no-new-privileges and seccomp=(unconfined|profile file contents). */
final class SecurityOpts {
    private SecurityOpts() {}

    static Boolean noNewPrivileges(List<String> opts) {
        if (opts == null) {
            return null;
        }
        for (String o : opts) {
            String v = o.replace('=', ':');
            if (v.equals("no-new-privileges") || v.equals("no-new-privileges:true")) {
                return true;
            }
        }
        return null;
    }

    /**
     * The seccomp filter to apply: none for "unconfined", the profile given inline (the docker
     * CLI sends the file's contents) or by path, else docker's default profile. Either is in
     * docker's format and resolved for the container's capabilities (its bounding set), as
     * moby does: e.g. CAP_SYS_ADMIN also allows mount, unshare and clone with namespace flags.
     */
    static Spec.Seccomp seccomp(List<String> opts, List<String> caps) {
        SeccompProfiles.Host host = SeccompProfiles.Host.current();
        if (opts != null) {
            for (String o : opts) {
                int sep = o.indexOf(o.contains("=") ? '=' : ':');
                if (sep < 0 || !o.substring(0, sep).equals("seccomp")) {
                    continue;
                }
                String value = o.substring(sep + 1);
                if (value.equals("unconfined")) {
                    return null;
                }
                if (value.equals("builtin")) {
                    return SeccompProfiles.defaultFor(caps, host);
                }
                return SeccompProfiles.parse(value.trim().startsWith("{") ? value : read(value), caps, host);
            }
        }
        return SeccompProfiles.defaultFor(caps, host);
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new EngineException(400, "opening seccomp profile (" + path + ") failed: " + e.getMessage());
        }
    }
}
