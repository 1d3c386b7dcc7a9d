package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.DaemonException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.JsonParser;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.UnixHttpClient.Body;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code berth cp}: GET /containers/{id}/archive (container to host) and PUT (host to
 * container), tar streams both ways; "-" for a tar on stdin or stdout. Docker's rules for where
 * the copy lands: into an existing directory under the source's name, else at the destination
 * path itself.
 */
public final class CpCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("cp", "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
                "Copy files/folders between a container and the local filesystem", 2, 2,
                Flag.bool("archive", 'a', "Archive mode (copy all uid/gid information)"),
                Flag.bool("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
                Flag.bool("quiet", 'q', "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String[] src = split(a.arg(0)), dst = split(a.arg(1));
        if (src[0] != null && dst[0] != null) {
            throw new CliException("copying between containers is not supported", 1);
        }
        if (src[0] == null && dst[0] == null) {
            throw new CliException("must specify at least one container source", 1);
        }
        if (src[0] != null) {
            return fromContainer(cli, a, src[0], src[1], a.arg(1));
        }
        return toContainer(cli, a, a.arg(0), dst[0], dst[1]);
    }

    /** {container, path} or {null, path}: docker's splitCpArg (a local path with ':' must start with / or .). */
    private static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return new String[] {null, arg};
        }
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            return new String[] {null, arg};
        }
        return new String[] {arg.substring(0, colon), arg.substring(colon + 1)};
    }

    private int fromContainer(Cli cli, ParsedArgs a, String container, String path, String dest) throws Exception {
        if (path.isEmpty()) {
            throw new CliException("filesystem path cannot be empty", 1);
        }
        String base = container + ":" + path;
        try (HttpResponse r = cli.api().call("GET", "/containers/" + Api.segment(container) + "/archive",
                Api.query().put("path", path), null)) {
            if (dest.equals("-")) {
                r.body().transferTo(cli.out());
                cli.out().flush();
                return 0;
            }
            boolean srcDir = isDir(r.header("X-Docker-Container-Path-Stat"));
            Path d = Path.of(dest);
            boolean destExists = Files.exists(d, LinkOption.NOFOLLOW_LINKS);
            boolean destDir = Files.isDirectory(d);
            if (!destExists && dest.endsWith("/")) {
                throw new CliException("invalid output path: directory \"" + dest + "\" does not exist", 1);
            }
            if (destExists && !destDir && srcDir) {
                throw new CliException("cannot copy directory to file", 1);
            }
            if (!destExists && d.toAbsolutePath().getParent() != null && !Files.isDirectory(d.toAbsolutePath().getParent())) {
                throw new CliException("invalid output path: directory \"" + d.toAbsolutePath().getParent() + "\" does not exist", 1);
            }
            // Entries are named after the source's last element; they land under dest (a directory) or as dest.
            Path root = destDir ? null : d;
            CountingInputStream in = new CountingInputStream(r.body());
            Tar.extract(in, name -> {
                int slash = name.indexOf('/');
                String first = slash < 0 ? name : name.substring(0, slash);
                String rest = slash < 0 ? "" : name.substring(slash + 1);
                Path top = root != null ? root : d.resolve(first);
                return rest.isEmpty() ? top : top.resolve(rest);
            });
            progress(cli, a, in.count, dest);
        }
        return 0;
    }

    private int toContainer(Cli cli, ParsedArgs a, String source, String container, String path) throws Exception {
        if (path.isEmpty()) {
            throw new CliException("filesystem path cannot be empty", 1);
        }
        String cpath = "/containers/" + Api.segment(container) + "/archive";
        if (source.equals("-")) {
            try (HttpResponse r = cli.api().call("PUT", cpath, Api.query().put("path", path),
                    Body.stream("application/x-tar", cli.in(), -1))) {
                r.body().transferTo(OutputStream.nullOutputStream());
            }
            return 0;
        }
        Path s = Path.of(source);
        if (a.bool("follow-link") && Files.isSymbolicLink(s)) {
            s = s.toRealPath();
        }
        if (!Files.exists(s, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("lstat " + s.toAbsolutePath() + ": no such file or directory", 1);
        }
        boolean srcDir = Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS);
        String stat = null;
        try (HttpResponse r = cli.api().call("HEAD", cpath, Api.query().put("path", path), null)) {
            stat = r.header("X-Docker-Container-Path-Stat");
        } catch (DaemonException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        String target, name;
        String sourceName = s.toAbsolutePath().normalize().getFileName() == null ? "." : s.toAbsolutePath().normalize().getFileName().toString();
        if (stat != null && isDir(stat)) {
            target = path;
            name = sourceName;
        } else {
            if (stat != null && srcDir) {
                throw new CliException("cannot copy directory to file", 1);
            }
            if (stat == null && path.endsWith("/")) {
                throw new CliException("Error response from daemon: Could not find the file " + path + " in container " + container, 1);
            }
            String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            int slash = trimmed.lastIndexOf('/');
            target = slash < 0 ? "." : slash == 0 ? "/" : trimmed.substring(0, slash);
            name = trimmed.substring(slash + 1);
        }
        PipedInputStream pipeIn = new PipedInputStream(1 << 16);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        Path from = s;
        boolean follow = a.bool("follow-link");
        IOException[] failure = new IOException[1];
        long[] written = new long[1];
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try (CountingOutputStream out = new CountingOutputStream(pipeOut)) {
                Tar.write(from, name, out, follow);
                written[0] = out.count;
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        try (HttpResponse r = cli.api().call("PUT", cpath, Api.query().put("path", target), Body.stream("application/x-tar", pipeIn, -1))) {
            r.body().transferTo(OutputStream.nullOutputStream());
        }
        writer.join();
        if (failure[0] != null) {
            throw new CliException(failure[0].getMessage(), 1);
        }
        progress(cli, a, written[0], container + ":" + path);
        return 0;
    }

    private static void progress(Cli cli, ParsedArgs a, long bytes, String to) {
        if (!a.bool("quiet") && cli.isTerminal(2)) {
            cli.err().println("Successfully copied " + Units.humanSize(bytes) + " to " + to);
        }
    }

    /** The stat header's mode has Go's os.ModeDir bit (1 << 31) for a directory. */
    private static boolean isDir(String statHeader) {
        if (statHeader == null || statHeader.isEmpty()) {
            return false;
        }
        try {
            Object stat = JsonParser.parse(new String(Base64.getDecoder().decode(statHeader), StandardCharsets.UTF_8));
            return (Api.number(stat, "mode") & (1L << 31)) != 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
