package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Json;
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
     * CLI sends the file's contents) or by path. Without an option: none yet — docker's default
     * profile is not built in (see docs/daemon-api.md).
     */
    static Spec.Seccomp seccomp(List<String> opts) {
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
                return parse(value.trim().startsWith("{") ? value : read(value));
            }
        }
        return null;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new EngineException(400, "opening seccomp profile (" + path + ") failed: " + e.getMessage());
        }
    }

    private static Spec.Seccomp parse(String json) {
        try {
            return Json.parse(json, Spec.Seccomp.class);
        } catch (RuntimeException e) {
            throw new EngineException(400, "decoding seccomp profile failed: " + e.getMessage());
        }
    }
}
