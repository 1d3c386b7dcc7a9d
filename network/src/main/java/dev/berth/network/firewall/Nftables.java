package dev.berth.network.firewall;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * nftables through libnftables (libnftables(3)), the library the nft command is a thin shell
 * around, called through FFM rather than spawning nft: the same parser and the same netlink
 * transaction, without a process per change and without parsing its text. Commands are given as
 * libnftables-json(5) documents, which libnftables applies as one atomic transaction.
 *
 * <p>A context is made per command and freed after it: libnftables contexts are not thread-safe
 * and holding one costs its cache.
 */
public final class Nftables {
    private static final String LIBRARY = "libnftables.so.1";
    /** NFT_CTX_OUTPUT_JSON of nftables/libnftables.h: also makes the input parser accept JSON first. */
    private static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

    private static final class Binding {
        static final MethodHandle NEW, FREE, BUFFER_OUTPUT, BUFFER_ERROR, OUTPUT, ERROR, SET_FLAGS, RUN;

        static {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            NEW = handle(linker, lib, "nft_ctx_new", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            FREE = handle(linker, lib, "nft_ctx_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            BUFFER_OUTPUT = handle(linker, lib, "nft_ctx_buffer_output", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            BUFFER_ERROR = handle(linker, lib, "nft_ctx_buffer_error", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            OUTPUT = handle(linker, lib, "nft_ctx_get_output_buffer", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            ERROR = handle(linker, lib, "nft_ctx_get_error_buffer", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            SET_FLAGS = handle(linker, lib, "nft_ctx_output_set_flags", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            RUN = handle(linker, lib, "nft_run_cmd_from_buffer", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        }

        private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor d) {
            return linker.downcallHandle(lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no " + name)), d);
        }
    }

    private Nftables() {}

    /**
     * Runs one command (JSON or nft syntax) and returns what it printed (JSON for list commands).
     * Serialised: one transaction at a time from this process.
     */
    public static synchronized String run(String command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = (MemorySegment) Binding.NEW.invokeExact(0);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new NftablesException("nft_ctx_new failed");
            }
            try {
                Binding.SET_FLAGS.invokeExact(ctx, NFT_CTX_OUTPUT_JSON);
                int unused1 = (int) Binding.BUFFER_OUTPUT.invokeExact(ctx);
                int unused2 = (int) Binding.BUFFER_ERROR.invokeExact(ctx);
                int rc = (int) Binding.RUN.invokeExact(ctx, arena.allocateFrom(command));
                String out = text((MemorySegment) Binding.OUTPUT.invokeExact(ctx));
                if (rc != 0) {
                    String err = text((MemorySegment) Binding.ERROR.invokeExact(ctx)).strip();
                    throw new NftablesException("nftables refused the change: " + (err.isEmpty() ? "error " + rc : abbreviate(err)));
                }
                return out;
            } finally {
                Binding.FREE.invokeExact(ctx);
            }
        } catch (NftablesException e) {
            throw e;
        } catch (Throwable t) {
            throw new NftablesException("libnftables: " + t);
        }
    }

    private static String text(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static String abbreviate(String s) {
        return s.length() <= 1500 ? s : s.substring(0, 1500) + "...";
    }
}
