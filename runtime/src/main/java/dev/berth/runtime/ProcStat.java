package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/<pid>/stat (proc(5)): whether a pid is alive, and its start time. */
final class ProcStat {
    private ProcStat() {}

    /** Field 22, starttime, or -1 if the process does not exist (or is a zombie). */
    static long startTime(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return -1;
            }
            return Long.parseLong(rest[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static boolean isAlive(int pid, long startTime) {
        return pid > 0 && startTime(pid) == startTime;
    }
}
