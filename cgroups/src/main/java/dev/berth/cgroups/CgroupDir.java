package dev.berth.cgroups;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cgroup directory and the interface-file I/O on it, with every failure turned into a
 * {@link CgroupException} naming the config field and the file.
 *
 * <p>Writes are one {@code write(2)} of the whole value to a file opened without O_CREAT: the
 * kernel parses each write on its own (Documentation/admin-guide/cgroup-v2.rst, "Conventions":
 * one value per write), and a file that does not exist means this kernel or this hierarchy lacks
 * the feature, which must be reported, never papered over by creating a plain file.
 */
final class CgroupDir {
    /** A planned write: which config field asked for it, which file, which value. */
    record Write(String field, String file, String value) {}

    private final Path path;

    CgroupDir(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.isDirectory(path);
    }

    boolean has(String file) {
        return Files.exists(path.resolve(file));
    }

    void write(Write w) {
        write(w.field(), w.file(), w.value());
    }

    void write(String field, String file, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(path.resolve(file), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int n = ch.write(ByteBuffer.wrap(bytes));
            if (n != bytes.length) {
                throw new IOException("short write (" + n + " of " + bytes.length + " bytes)");
            }
        } catch (IOException e) {
            throw new CgroupException(field, "write " + file + ": " + reason(e)
                    + " (value \"" + value + "\" in " + path + ")", e);
        }
    }

    /** The file's content without the trailing newline. */
    String read(String field, String file) {
        try {
            return Files.readString(path.resolve(file)).strip();
        } catch (IOException e) {
            throw new CgroupException(field, "read " + file + ": " + reason(e) + " (in " + path + ")", e);
        }
    }

    /** A single-value file; "max" (v2) reads as {@link CgroupStats#UNLIMITED}. */
    long readLong(String field, String file) {
        String s = read(field, file);
        return parseLong(field, file, s);
    }

    List<String> lines(String field, String file) {
        String s = read(field, file);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    /**
     * A flat-keyed file ("key value" per line: memory.stat, cpu.stat, memory.events,
     * memory.oom_control), in file order.
     */
    Map<String, Long> readKeyed(String field, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines(field, file)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], parseLong(field, file, kv[1]));
            }
        }
        return out;
    }

    static long parseLong(String field, String file, String s) {
        if (s.equals("max")) {
            return CgroupStats.UNLIMITED;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // v1 counters are u64 and may exceed Long.MAX_VALUE only when "unlimited".
            try {
                Long.parseUnsignedLong(s);
                return CgroupStats.UNLIMITED;
            } catch (NumberFormatException e2) {
                throw new CgroupException(field, "read " + file + ": not a number: \"" + s + "\"", e);
            }
        }
    }

    /** errno text the way the kernel reports it (strerror), whichever IOException Java chose. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
