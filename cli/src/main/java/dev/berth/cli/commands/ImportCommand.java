package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.UnixHttpClient.Body;
import dev.berth.oci.image.ImageReference;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code berth import}: a tarball (a file or "-" for stdin) as an image's one layer, POST /images/create?fromSrc=-. */
public final class ImportCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("import", "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                "Import the contents from a tarball to create a filesystem image", 1, 2,
                Flag.list("change", 'c', "list", "Apply Dockerfile instruction to the created image"),
                Flag.value("message", 'm', "string", "Set commit message for imported image"),
                Flag.value("platform", "string", "Set platform if server is multi-platform capable"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String source = a.arg(0);
        Api.Query q = Api.query();
        if (a.args().size() == 2) {
            ImageReference ref;
            try {
                ref = ImageReference.parseNormalizedNamed(a.arg(1));
            } catch (IllegalArgumentException e) {
                throw new CliException("invalid reference format: " + e.getMessage(), 1);
            }
            if (ref.digest().isPresent()) {
                throw new CliException("invalid reference format: cannot import with a digest", 1);
            }
            q.put("repo", ref.nameOnly().familiar()).put("tag", ref.tag().orElse(null));
        }
        q.put("message", a.string("message"));
        for (String c : a.list("change")) {
            q.add("changes", c);
        }
        q.put("platform", a.string("platform"));
        InputStream in;
        Body body;
        if (source.equals("-")) {
            q = withSource(q, "-");
            in = cli.in();
            body = Body.stream("application/x-tar", in, -1);
        } else if (source.contains("://")) {
            q = withSource(q, source);
            in = InputStream.nullInputStream();
            body = null;
        } else {
            Path file = Path.of(source);
            try {
                in = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new CliException("open " + source + ": no such file or directory", 1);
            }
            q = withSource(q, "-");
            body = Body.stream("application/x-tar", in, Files.size(file));
        }
        try (in; HttpResponse r = cli.api().call("POST", "/images/create", q, body)) {
            JsonMessages.display(r.body(), cli.out(), false);
        }
        return 0;
    }

    /** fromSrc first, as docker's client orders the query. */
    private static Api.Query withSource(Api.Query rest, String src) {
        return Api.query().put("fromSrc", src).merge(rest);
    }
}
