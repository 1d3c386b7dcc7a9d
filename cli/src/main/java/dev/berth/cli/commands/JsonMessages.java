package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.CliException;
import dev.berth.cli.format.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The daemon's progress stream (pull, push, load): one JSON message per line, shown as docker's
 * jsonmessage package shows it. On a terminal each layer keeps one line that is redrawn in place
 * with a progress bar; elsewhere every status is a plain line and progress-bar updates are left
 * out. An "error" message ends the stream with that error.
 */
final class JsonMessages {
    private JsonMessages() {}

    static void display(InputStream body, PrintStream out, boolean terminal) throws CliException, IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        Map<String, Integer> lines = new HashMap<>();
        for (String text = r.readLine(); text != null; text = r.readLine()) {
            if (text.isBlank()) {
                continue;
            }
            Object m = JsonParser.parse(text);
            String error = Api.string(m, "error");
            if (!error.isEmpty()) {
                out.flush();
                throw new CliException(error, 1);
            }
            String id = Api.string(m, "id");
            String status = Api.string(m, "status");
            String stream = Api.string(m, "stream");
            long current = Api.number(m, "progressDetail", "current");
            long total = Api.number(m, "progressDetail", "total");
            String bar = bar(current, total);
            int up = 0;
            if (!id.isEmpty()) {
                Integer line = lines.get(id);
                if (line == null) {
                    line = lines.size();
                    lines.put(id, line);
                    if (terminal) {
                        out.print('\n');
                    }
                }
                up = lines.size() - line;
                if (terminal) {
                    out.print("\u001b[" + up + "A");
                }
            } else {
                lines.clear();
            }
            if (terminal && stream.isEmpty() && !id.isEmpty()) {
                out.print("\u001b[2K\r");
            } else if (!terminal && !bar.isEmpty()) {
                continue; // no progress bars off a terminal
            }
            String end = terminal && !id.isEmpty() ? "\r" : "";
            StringBuilder s = new StringBuilder();
            if (!id.isEmpty()) {
                s.append(id).append(": ");
            }
            if (!stream.isEmpty()) {
                s.append(stream).append(end);
            } else if (terminal && !bar.isEmpty()) {
                s.append(status).append(' ').append(bar).append(end);
            } else {
                s.append(status).append(end).append(end.isEmpty() ? "\n" : "");
            }
            out.print(s);
            if (terminal && !id.isEmpty()) {
                out.print("\u001b[" + up + "B");
            }
            out.flush();
        }
    }

    /** docker's JSONProgress.String: "[=====>     ]  1.2MB/3.4MB", or "" with nothing to show. */
    static String bar(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return String.format("%8s", Units.humanSize(current));
        }
        int percentage = (int) ((double) current / total * 100) / 2;
        percentage = Math.min(percentage, 50);
        String box = "[" + "=".repeat(percentage) + ">" + " ".repeat(Math.max(0, 50 - percentage)) + "] ";
        return box + String.format("%8s/%s", Units.humanSize(current), Units.humanSize(total));
    }
}
