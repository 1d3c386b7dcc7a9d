package dev.berth.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.EngineException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code changes} of {@code docker commit --change} and {@code docker import --change}:
 * Dockerfile instructions that edit an image config (dockerd's allowed set: CMD, ENTRYPOINT, ENV,
 * EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR). CMD and ENTRYPOINT take the JSON
 * (exec) form or the shell form, which becomes ["/bin/sh", "-c", text] as the builder makes it.
 * Everything is parsed before anything changes, so a bad line leaves no half-edited image.
 */
public final class ConfigChanges {
    private static final Set<String> ALLOWED = Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "STOPSIGNAL",
            "USER", "VOLUME", "WORKDIR");
    private static final Set<String> KNOWN = Set.of("ADD", "ARG", "COPY", "FROM", "HEALTHCHECK", "MAINTAINER", "RUN", "SHELL");

    private ConfigChanges() {}

    /** {@code config} with every change applied in order; docker's 400 for a line it would refuse. */
    public static ImageConfig.Config apply(ImageConfig.Config config, List<String> changes) {
        Editable c = new Editable(config);
        for (String line : changes) {
            for (String l : line.split("\n")) {
                if (!l.isBlank()) {
                    applyLine(c, l.strip());
                }
            }
        }
        return c.build();
    }

    private static void applyLine(Editable c, String line) {
        int space = line.indexOf(' ');
        String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        if (!ALLOWED.contains(instruction)) {
            if (KNOWN.contains(instruction)) {
                throw new EngineException(400, instruction.toLowerCase(Locale.ROOT) + " is not a valid change command");
            }
            throw new EngineException(400, "dockerfile parse error on line 1: unknown instruction: " + instruction);
        }
        if (rest.isEmpty()) {
            throw new EngineException(400, "dockerfile parse error on line 1: " + instruction + " requires at least one argument");
        }
        switch (instruction) {
            case "CMD" -> c.cmd = commandForm(rest);
            case "ENTRYPOINT" -> {
                c.entrypoint = commandForm(rest);
                c.cmd = null; // the builder resets CMD when ENTRYPOINT is set (dispatchers.go)
            }
            case "ENV" -> keyValues(instruction, rest).forEach((k, v) -> {
                c.env.removeIf(e -> e.equals(k) || e.startsWith(k + "="));
                c.env.add(k + "=" + v);
            });
            case "LABEL" -> c.labels.putAll(keyValues(instruction, rest));
            case "EXPOSE" -> {
                for (String port : words(rest)) {
                    c.exposedPorts.put(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp", Map.of());
                }
            }
            case "VOLUME" -> {
                List<String> volumes = rest.startsWith("[") ? jsonArray(rest) : words(rest);
                volumes.forEach(v -> c.volumes.put(v, Map.of()));
            }
            case "WORKDIR" -> c.workingDir = rest.startsWith("/") || c.workingDir == null
                    ? rest : c.workingDir.replaceFirst("/?$", "/") + rest;
            case "USER" -> c.user = rest;
            case "STOPSIGNAL" -> c.stopSignal = rest;
            case "ONBUILD" -> c.onBuild.add(rest);
            default -> throw new IllegalStateException(instruction);
        }
    }

    /** The exec form (a JSON array of strings) or the shell form. */
    private static List<String> commandForm(String rest) {
        if (rest.startsWith("[")) {
            try {
                return jsonArray(rest);
            } catch (EngineException notJson) {
                // the builder takes text that is not a JSON array as the shell form
            }
        }
        return List.of("/bin/sh", "-c", rest);
    }

    private static List<String> jsonArray(String text) {
        try {
            JsonNode n = Json.mapper().readTree(text);
            if (n != null && n.isArray()) {
                List<String> out = new ArrayList<>();
                for (JsonNode e : n) {
                    if (!e.isTextual()) {
                        throw new EngineException(400, "dockerfile parse error on line 1: not a JSON array of strings: " + text);
                    }
                    out.add(e.asText());
                }
                return out;
            }
        } catch (IOException e) {
            // fall through
        }
        throw new EngineException(400, "dockerfile parse error on line 1: not a JSON array of strings: " + text);
    }

    /** {@code k=v k2="v 2"}, or the legacy {@code ENV key value with spaces}. */
    private static Map<String, String> keyValues(String instruction, String rest) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(rest);
        if (!words.getFirst().contains("=")) {
            int space = rest.indexOf(' ');
            if (space < 0) {
                throw new EngineException(400, "dockerfile parse error on line 1: " + instruction + " must have two arguments");
            }
            out.put(words.getFirst(), rest.substring(space + 1).strip());
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new EngineException(400, "dockerfile parse error on line 1: " + instruction
                        + " names can not be blank" + (eq < 0 ? ": " + w : ""));
            }
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    /** Words split on blanks, with "double" and 'single' quotes and backslash escapes removed. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (ch == '\\' && quote != '\'' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
            } else if (quote == 0 && (ch == '"' || ch == '\'')) {
                quote = ch;
            } else if (ch == quote) {
                quote = 0;
            } else {
                w.append(ch);
            }
        }
        if (quote != 0) {
            throw new EngineException(400, "dockerfile parse error on line 1: unmatched quote in: " + text);
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }

    /** A config being edited: mutable copies of the fields changes may touch. */
    private static final class Editable {
        private final ImageConfig.Config base;
        String user;
        String workingDir;
        String stopSignal;
        List<String> cmd;
        List<String> entrypoint;
        final List<String> env;
        final Map<String, String> labels;
        final Map<String, Object> exposedPorts;
        final Map<String, Object> volumes;
        final List<String> onBuild;

        Editable(ImageConfig.Config c) {
            base = c;
            user = c.user();
            workingDir = c.workingDir();
            stopSignal = c.stopSignal();
            cmd = c.cmd();
            entrypoint = c.entrypoint();
            env = new ArrayList<>(c.env() == null ? List.of() : c.env());
            labels = new LinkedHashMap<>(c.labels() == null ? Map.of() : c.labels());
            exposedPorts = new LinkedHashMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
            volumes = new LinkedHashMap<>(c.volumes() == null ? Map.of() : c.volumes());
            onBuild = new ArrayList<>(c.onBuild() == null ? List.of() : c.onBuild());
        }

        ImageConfig.Config build() {
            return new ImageConfig.Config(user, exposedPorts.isEmpty() ? null : exposedPorts, env.isEmpty() ? null : env,
                    entrypoint, cmd, volumes.isEmpty() ? null : volumes, workingDir, labels.isEmpty() ? null : labels,
                    stopSignal, base.argsEscaped(), base.healthcheck(), onBuild.isEmpty() ? null : onBuild, base.shell());
        }
    }
}
