package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves docker's User ("name", "uid", "name:group", "uid:gid") against the container's own
 * /etc/passwd and /etc/group, as docker does (never the host's). Supplementary groups are the
 * user's memberships in /etc/group plus GroupAdd.
 */
public record ContainerUser(long uid, long gid, List<Long> additionalGids) {

    public static ContainerUser resolve(String user, List<String> groupAdd, Path rootfs) {
        String spec = user == null || user.isEmpty() ? "0" : user;
        String[] parts = spec.split(":", 2);
        List<String[]> passwd = table(rootfs.resolve("etc/passwd"));
        List<String[]> groups = table(rootfs.resolve("etc/group"));
        long uid;
        long gid;
        String name;
        Optional<String[]> entry = isNumber(parts[0])
                ? passwd.stream().filter(e -> e.length > 3 && e[2].equals(parts[0])).findFirst()
                : passwd.stream().filter(e -> e.length > 3 && e[0].equals(parts[0])).findFirst();
        if (isNumber(parts[0])) {
            uid = Long.parseLong(parts[0]);
            gid = entry.map(e -> Long.parseLong(e[3])).orElse(0L);
            name = entry.map(e -> e[0]).orElse(null);
        } else {
            String[] e = entry.orElseThrow(() -> new EngineException(400,
                    "unable to find user " + parts[0] + ": no matching entries in passwd file"));
            uid = Long.parseLong(e[2]);
            gid = Long.parseLong(e[3]);
            name = e[0];
        }
        if (parts.length == 2) {
            gid = group(parts[1], groups);
        }
        List<Long> extra = new ArrayList<>();
        if (name != null) {
            for (String[] g : groups) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(name)) {
                    extra.add(Long.parseLong(g[2]));
                }
            }
        }
        if (groupAdd != null) {
            for (String g : groupAdd) {
                extra.add(group(g, groups));
            }
        }
        return new ContainerUser(uid, gid, extra.stream().distinct().toList());
    }

    private static long group(String nameOrId, List<String[]> groups) {
        if (isNumber(nameOrId)) {
            return Long.parseLong(nameOrId);
        }
        return groups.stream().filter(g -> g.length > 2 && g[0].equals(nameOrId)).findFirst()
                .map(g -> Long.parseLong(g[2]))
                .orElseThrow(() -> new EngineException(400, "unable to find group " + nameOrId + ": no matching entries in group file"));
    }

    private static List<String[]> table(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(":", -1)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
