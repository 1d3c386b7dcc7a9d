package dev.berth.runtime.cli;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Error and warning lines in runc's shapes: logrus text (time="..." level=error msg="...") or,
 * with --log-format json, {"level":"error","msg":"...","time":"..."}. Goes to --log or stderr.
 */
final class Logger {
    private final PrintStream out;
    private final boolean json;
    private final boolean debug;

    Logger(PrintStream out, boolean json, boolean debug) {
        this.out = out;
        this.json = json;
        this.debug = debug;
    }

    void error(String msg) {
        line("error", msg);
    }

    void warn(String msg) {
        line("warning", msg);
    }

    void debug(String msg) {
        if (debug) {
            line("debug", msg);
        }
    }

    private void line(String level, String msg) {
        String time = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (json) {
            out.println("{\"level\":\"" + level + "\",\"msg\":" + quote(msg) + ",\"time\":\"" + time + "\"}");
        } else {
            out.println("time=\"" + time + "\" level=" + level + " msg=" + quote(msg));
        }
        out.flush();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
