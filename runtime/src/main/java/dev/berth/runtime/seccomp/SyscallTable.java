package dev.berth.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Syscall name to number, for one ABI, read from {@code syscalls-<arch>.txt} beside this class.
 * Those files say in their header which kernel headers they were generated from.
 */
final class SyscallTable {
    private static final Map<SeccompArch, SyscallTable> CACHE = new EnumMap<>(SeccompArch.class);

    private final SeccompArch arch;
    private final Map<String, Integer> numbers;

    private SyscallTable(SeccompArch arch, Map<String, Integer> numbers) {
        this.arch = arch;
        this.numbers = Map.copyOf(numbers);
    }

    static SyscallTable of(SeccompArch arch) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(arch, SyscallTable::load);
        }
    }

    SeccompArch arch() {
        return arch;
    }

    /** The number {@code seccomp_data.nr} carries for {@code name}, or empty if this ABI has no such call. */
    OptionalInt number(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    Map<String, Integer> all() {
        return numbers;
    }

    private static SyscallTable load(SeccompArch arch) {
        String resource = "syscalls-" + arch.tableName() + ".txt";
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " beside " + SyscallTable.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Map<String, Integer> numbers = new HashMap<>();
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": expected \"name number\"");
                }
                numbers.put(parts[0], Integer.parseInt(parts[1]));
            }
            return new SyscallTable(arch, numbers);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
