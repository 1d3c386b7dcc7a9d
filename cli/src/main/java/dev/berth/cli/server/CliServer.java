package dev.berth.cli.server;

import dev.berth.cli.Invocation;
import dev.berth.cli.Main;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CLI server: a resident JVM per user and build that runs bin/berth's simple commands, so that
 * `berth version` does not pay a JVM start (docs/cli.md, Start-up). bin/berth starts it in the
 * background ({@code CliServer DIR FILE...}: its private directory, then the jars and AOT cache it
 * runs from) and talks to it through DIR:
 *
 * <pre>
 *   DIR/in     request FIFO, held open read-write here so it never sees end-of-file
 *   DIR/pid    this process's pid, written last: bin/berth uses the server only when it exists,
 *              is newer than the jars and names a live process
 *   DIR/r.PID  a client's reply FIFO: one line, the exit code or "fallback" (run your own JVM)
 *   DIR/served the number of requests served (for tests and the curious)
 *   DIR/lock   held while a server runs: a second one started at the same time exits
 * </pre>
 *
 * Each request runs on a virtual thread, through Main.run with the client's streams, environment
 * and working directory (Client). The server leaves when idle for 10 minutes, or at the first
 * request after one of FILE changed (a new build): it removes DIR/pid and DIR/in first, so new
 * clients stop coming, serves what is in flight, then removes the directory.
 */
public final class CliServer {
    static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** After DIR/in is unlinked, a client that checked it just before may still write a request. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path dir;
    private final Map<Path, FileTime> built = new LinkedHashMap<>();
    private final int uid;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastRequest = System.nanoTime();
    private volatile long closingSince;
    private volatile boolean closing;
    private int served;

    private CliServer(Path dir, List<Path> files) throws IOException {
        this.dir = dir;
        for (Path f : files) {
            built.put(f, Files.getLastModifiedTime(f));
        }
        this.uid = uid(Path.of("/proc/self"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CliServer DIR FILE...");
            System.exit(2);
        }
        List<Path> files = Arrays.stream(args, 1, args.length).map(Path::of).toList();
        new CliServer(Path.of(args[0]), files).serve();
    }

    private void serve() throws IOException, InterruptedException {
        ownDirectory();
        try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another server started at the same moment and has the directory
            }
            Path in = dir.resolve("in");
            removeAll(false);
            mkfifo(in);
            // Read-write: the FIFO always has a writer (us), so a read blocks for the next request
            // instead of returning end-of-file whenever no client has it open; and a client's
            // open never blocks either (it opens read-write too).
            FileChannel requests = FileChannel.open(in, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Path tmp = dir.resolve("pid.tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
            Files.move(tmp, dir.resolve("pid"), StandardCopyOption.ATOMIC_MOVE);
            // SIGTERM (kill PID): no directory left behind, so no client waits on a dead server.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(true)));
            Thread.ofPlatform().daemon().name("cli-server-idle").start(this::watch);
            InputStream stream = new BufferedInputStream(Channels.newInputStream(requests));
            while (true) {
                Request r = Request.read(stream);
                inFlight.incrementAndGet();
                lastRequest = System.nanoTime();
                Thread.ofVirtual().name("cli-" + r.pid()).start(() -> handle(r));
            }
        }
    }

    private void handle(Request r) {
        try {
            if (!r.reply().getParent().equals(dir) || !r.reply().getFileName().toString().startsWith("r.")) {
                return; // not one of our clients' FIFOs: nothing to answer
            }
            if (closing || rebuilt()) {
                close();
                reply(r, "fallback");
                return;
            }
            Invocation client;
            try {
                client = Client.open(r.pid(), uid);
            } catch (IOException | RuntimeException e) {
                reply(r, "fallback");
                return;
            }
            int code;
            try {
                code = Main.run(r.args(), client);
            } finally {
                client.out().flush();
                client.err().flush();
                client.out().close();
                client.err().close();
                closeQuietly(client.in());
            }
            reply(r, Integer.toString(code));
            count();
        } finally {
            lastRequest = System.nanoTime();
            inFlight.decrementAndGet();
        }
    }

    /**
     * The exit code as one line, in one write. Opened read-write, which never blocks: the client
     * holds its FIFO open (read-write too) from before it sent the request, so the line waits
     * there for it; a client gone meanwhile has no reader left and the line is dropped on close.
     */
    private static void reply(Request r, String line) {
        try (FileChannel c = FileChannel.open(r.reply(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            // the client is gone
        }
        try {
            Files.deleteIfExists(r.reply());
        } catch (IOException e) {
            // left for the directory's removal
        }
    }

    private synchronized void count() {
        try {
            Files.writeString(dir.resolve("served"), ++served + "\n");
        } catch (IOException e) {
            // a counter for tests: nothing depends on it
        }
    }

    /** Whether a jar or the AOT cache this JVM runs from changed: its classes are the old ones. */
    private boolean rebuilt() {
        for (var e : built.entrySet()) {
            try {
                if (!Files.getLastModifiedTime(e.getKey()).equals(e.getValue())) {
                    return true;
                }
            } catch (IOException ex) {
                return true;
            }
        }
        return false;
    }

    /** Stop taking requests: clients that check from now on find no server and start their own JVM. */
    private synchronized void close() {
        if (!closing) {
            closingSince = System.nanoTime();
            closing = true;
            try {
                Files.deleteIfExists(dir.resolve("pid"));
                Files.deleteIfExists(dir.resolve("in"));
            } catch (IOException e) {
                // removed with the directory
            }
        }
    }

    /** The idle timer, and the exit once closed and nothing is in flight. */
    private void watch() {
        while (true) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (!closing && inFlight.get() == 0 && now - lastRequest > IDLE_NANOS) {
                close();
            }
            if (closing && inFlight.get() == 0 && now - closingSince > GRACE_NANOS && now - lastRequest > GRACE_NANOS) {
                removeAll(true);
                Runtime.getRuntime().halt(0);
            }
        }
    }

    /** DIR, made 0700 if missing; a DIR that is not a directory of ours, private, is refused. */
    private void ownDirectory() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by a server started at the same moment: checked below
            }
        }
        Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || (Integer) a.get("uid") != uid || (mode & 0077) != 0) {
            throw new IOException(dir + " is not a private directory of uid " + uid);
        }
    }

    /** Every file in DIR (those a killed server left, or ours at the end), and DIR itself at the end. */
    private void removeAll(boolean andDirectory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (andDirectory || !f.getFileName().toString().equals("lock")) {
                    Files.deleteIfExists(f);
                }
            }
            if (andDirectory) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // what is left is removed by the next server
        }
    }

    /** mkfifo(1): the JDK has no call for it, and this process's start-up time does not matter. */
    private static void mkfifo(Path fifo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
    }

    private static int uid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid")).intValue();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was read from it
        }
    }
}
