package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.format.Template;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** `ps` rows: the fields of docker's container formatting context, computed from /containers/json. */
final class ContainerRows {
    static final String DEFAULT_TABLE = "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("ID", "CONTAINER ID");
        HEADERS.put("Image", "IMAGE");
        HEADERS.put("Command", "COMMAND");
        HEADERS.put("CreatedAt", "CREATED AT");
        HEADERS.put("RunningFor", "CREATED");
        HEADERS.put("Ports", "PORTS");
        HEADERS.put("State", "STATE");
        HEADERS.put("Status", "STATUS");
        HEADERS.put("Size", "SIZE");
        HEADERS.put("Names", "NAMES");
        HEADERS.put("Labels", "LABELS");
        HEADERS.put("Mounts", "MOUNTS");
        HEADERS.put("Networks", "NETWORKS");
        HEADERS.put("LocalVolumes", "LOCAL VOLUMES");
        HEADERS.put("Platform", "PLATFORM");
    }

    private ContainerRows() {}

    static Map<String, Object> row(Object c, boolean trunc) {
        Map<String, Object> r = new TreeMap<>(); // docker's {{json .}} lists the fields sorted
        String id = Api.string(c, "Id");
        r.put("ID", trunc ? shortId(id) : id);
        String image = Api.string(c, "Image");
        if (trunc && image.startsWith("sha256:")) {
            image = shortId(image.substring(7));
        }
        r.put("Image", image);
        String command = Api.string(c, "Command");
        if (trunc) {
            command = ellipsis(command, 20);
        }
        r.put("Command", "\"" + command.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        long created = Api.number(c, "Created");
        r.put("CreatedAt", (Template.Lazy) () -> createdAt(created));
        r.put("RunningFor", Units.humanDuration(Instant.now().getEpochSecond() - created) + " ago");
        r.put("Ports", ports(Api.list(c, "Ports")));
        r.put("State", Api.string(c, "State"));
        r.put("Status", Api.string(c, "Status"));
        long rw = Api.number(c, "SizeRw");
        long rootFs = Api.number(c, "SizeRootFs");
        r.put("Size", Units.humanSize(rw) + (rootFs > 0 ? " (virtual " + Units.humanSize(rootFs) + ")" : ""));
        List<String> names = new ArrayList<>();
        for (Object n : Api.list(c, "Names")) {
            String name = String.valueOf(n);
            name = name.startsWith("/") ? name.substring(1) : name;
            if (!trunc || !name.contains("/")) {
                names.add(name);
            }
        }
        r.put("Names", String.join(",", names));
        r.put("Labels", labels(Api.get(c, "Labels")));
        List<String> mounts = new ArrayList<>();
        for (Object m : Api.list(c, "Mounts")) {
            String name = Api.string(m, "Name").isEmpty() ? Api.string(m, "Source") : Api.string(m, "Name");
            mounts.add(trunc ? ellipsis(name, 15) : name);
        }
        r.put("Mounts", String.join(",", mounts));
        Object networks = Api.get(c, "NetworkSettings", "Networks");
        r.put("Networks", networks instanceof Map<?, ?> m ? String.join(",", m.keySet().stream().map(String::valueOf).sorted().toList()) : "");
        r.put("LocalVolumes", String.valueOf(Api.list(c, "Mounts").stream().filter(m -> Api.string(m, "Driver").equals("local")).count()));
        r.put("Platform", null);
        return r;
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    /** docker's formatter.Ellipsis: at most {@code max} characters, the last one "…". */
    static String ellipsis(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** Go's time.Time.String for a Unix time, in the local zone: "2026-11-22 18:50:00 +0000 UTC". */
    static String createdAt(long epochSeconds) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx zzz").format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
    }

    static String labels(Object labels) {
        if (!(labels instanceof Map<?, ?> m)) {
            return "";
        }
        List<String> kv = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            kv.add(e.getKey() + "=" + e.getValue());
        }
        return String.join(",", kv);
    }

    /** "0.0.0.0:8080->80/tcp, 443/tcp" from the API's port list. */
    static String ports(List<Object> ports) {
        List<String> out = new ArrayList<>();
        for (Object p : ports) {
            String proto = Api.string(p, "Type").isEmpty() ? "tcp" : Api.string(p, "Type");
            long priv = Api.number(p, "PrivatePort");
            long pub = Api.number(p, "PublicPort");
            String ip = Api.string(p, "IP");
            if (pub > 0) {
                out.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + pub + "->" + priv + "/" + proto);
            } else {
                out.add(priv + "/" + proto);
            }
        }
        return String.join(", ", out);
    }
}
