package dev.berth.sys;

/**
 * The system calls Berth makes from Java. {@link #linux()} calls the kernel through
 * java.lang.foreign; tests that need no root substitute a recording implementation.
 * The bindings are created lazily: the first downcall costs ~100 ms of JVM start, which commands
 * that never make one (`berth-runtime state`) should not pay.
 */
public interface Syscalls {
    /** kill(2); throws on failure (ESRCH included: the caller decides what "gone" means). */
    void kill(int pid, int signal);

    /** mkfifo(3). */
    void mkfifo(String path, int mode);

    static Syscalls linux() {
        return LinuxSyscalls.INSTANCE;
    }
}
