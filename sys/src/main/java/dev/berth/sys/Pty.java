package dev.berth.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The master side of a pseudoterminal (pty(7)): what a container's console socket delivers, or
 * one opened here. Bytes written to the master are the terminal's keyboard input, bytes read are
 * its screen output; the size set here is what the process on the slave sees (and it gets
 * SIGWINCH on a change, ioctl_tty(2) TIOCSWINSZ).
 */
public final class Pty implements AutoCloseable {
    // ioctl request numbers of asm-generic/ioctls.h (x86, arm64, riscv; powerpc, mips and sparc differ).
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    private static final long TIOCGPTN = 0x80045430L, TIOCSPTLCK = 0x40045431L;
    // fcntl.h flags, asm-generic values as above.
    private static final int O_RDWR = 02, O_NOCTTY = 0400, O_CLOEXEC = 02000000;

    // ioctl(2) is variadic; its third argument is passed as a variadic pointer.
    private static final MethodHandle IOCTL = Libc.bind("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POSIX_OPENPT = Libc.bind("posix_openpt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Fd master;
    private final String slaveName;

    private Pty(Fd master, String slaveName) {
        this.master = master;
        this.slaveName = slaveName;
    }

    /**
     * Opens a new pty in this process's /dev/pts, unlocked so that its slave can be opened
     * (pty(7): "Before opening the pseudoterminal slave, you must pass the master's file descriptor
     * to grantpt(3) and unlockpt(3)"; on devpts grantpt has nothing left to do).
     */
    public static Pty open() {
        Fd fd = Fd.adopt((int) Libc.call("posix_openpt",
                st -> (int) POSIX_OPENPT.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            ioctl(fd, TIOCSPTLCK, n, "unlock pty"); // n is 0: clear the lock
            ioctl(fd, TIOCGPTN, n, "get pty number");
            return new Pty(fd, "/dev/pts/" + n.get(ValueLayout.JAVA_INT, 0));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** A pty whose master is {@code master} and whose slave is named {@code slaveName} in its own devpts. */
    public static Pty ofMaster(Fd master, String slaveName) {
        return new Pty(master, slaveName);
    }

    /** The pty sent to a console socket, whose payload names the slave (runc's protocol). */
    public static Pty of(ReceivedFd received) {
        return new Pty(received.fd(), received.payload());
    }

    public Fd master() {
        return master;
    }

    /**
     * The slave's path as the sender named it. For a container's console this is a path inside
     * the container's devpts ("/dev/pts/0"), not one to open on the host.
     */
    public String slaveName() {
        return slaveName;
    }

    /** TIOCGWINSZ. */
    public WindowSize size() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8, 2); // struct winsize: 4 unsigned shorts
            ioctl(master, TIOCGWINSZ, ws, "TIOCGWINSZ");
            return new WindowSize(Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0)),
                    Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2)));
        }
    }

    /** TIOCSWINSZ on the master: the kernel sends SIGWINCH to the slave's foreground process group. */
    public void resize(WindowSize size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8, 2);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) size.rows());
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) size.cols());
            ioctl(master, TIOCSWINSZ, ws, "TIOCSWINSZ");
        }
    }

    /**
     * The terminal's output. Ends (-1) when the last slave descriptor is closed: read(2) on a
     * master then fails with EIO (the Linux behaviour, pty(7) leaves it open), which is the
     * end of the console, not an error.
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                try {
                    int n = master.read(b, off, len);
                    return n == 0 ? -1 : n;
                } catch (SyscallException e) {
                    if (e.errno().number() == Libc.EIO) {
                        return -1;
                    }
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                Pty.this.close();
            }
        };
    }

    /** The terminal's input; closing it closes the pty. */
    public OutputStream outputStream() {
        return master.outputStream();
    }

    @Override
    public void close() {
        master.close();
    }

    private static void ioctl(Fd fd, long request, MemorySegment arg, String what) {
        int n = fd.number();
        Libc.call(what + " fd " + n, st -> (int) IOCTL.invokeExact(st, n, request, arg));
    }

    @Override
    public String toString() {
        return "Pty[" + master + ", " + slaveName + "]";
    }
}
