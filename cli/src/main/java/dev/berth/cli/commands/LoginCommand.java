package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code berth login}: the daemon checks the credentials against the registry (POST /auth);
 * nothing is stored on the client side, so later pulls and pushes need the daemon's own
 * credentials or an X-Registry-Auth of their own.
 */
public final class LoginCommand implements Command {
    static final String DEFAULT_SERVER = "https://index.docker.io/v1/";

    @Override
    public Spec spec() {
        return Spec.of("login", "login [OPTIONS] [SERVER]",
                "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.", 0, 1,
                Flag.value("password", 'p', "string", "Password or Personal Access Token (PAT)"),
                Flag.bool("password-stdin", "Take the Password or Personal Access Token (PAT) from stdin"),
                Flag.value("username", 'u', "string", "Username"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String server = a.args().isEmpty() ? DEFAULT_SERVER : a.arg(0);
        String user = a.string("username");
        String password = a.string("password");
        if (password != null) {
            cli.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            if (a.bool("password-stdin")) {
                throw new CliException("--password and --password-stdin are mutually exclusive", 1);
            }
        }
        if (a.bool("password-stdin")) {
            if (user == null || user.isEmpty()) {
                throw new CliException("Must provide --username with --password-stdin", 1);
            }
            String text = new String(cli.in().readAllBytes(), StandardCharsets.UTF_8);
            password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
        Console console = System.console();
        if (user == null || user.isEmpty()) {
            if (!cli.isTerminal(0) || console == null) {
                throw new CliException("Error: Cannot perform an interactive login from a non TTY device", 1);
            }
            user = console.readLine("Username: ");
            if (user == null || user.isBlank()) {
                throw new CliException("Error: Non-null Username Required", 1);
            }
            user = user.trim();
        }
        if (password == null) {
            if (!cli.isTerminal(0) || console == null) {
                BufferedReader r = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
                password = r.readLine();
            } else {
                char[] p = console.readPassword("Password: ");
                password = p == null ? null : new String(p);
            }
            if (password == null || password.isEmpty()) {
                throw new CliException("Error: Password Required", 1);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", user);
        body.put("password", password);
        body.put("serveraddress", server);
        Object answer = cli.api().postJson("/auth", null, body);
        String status = Api.string(answer, "Status");
        cli.out().println(status.isEmpty() ? "Login Succeeded" : status);
        return 0;
    }

    /** {@code berth logout}: nothing is stored, so only docker's line. */
    public static final class Logout implements Command {
        @Override
        public Spec spec() {
            return Spec.of("logout", "logout [SERVER]",
                    "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.", 0, 1);
        }

        @Override
        public int run(Cli cli, ParsedArgs a) {
            String server = a.args().isEmpty() ? DEFAULT_SERVER : a.arg(0);
            if (!a.args().isEmpty()) {
                server = server.replaceFirst("^https?://", "");
                int slash = server.indexOf('/');
                server = slash < 0 ? server : server.substring(0, slash);
            }
            cli.out().println("Removing login credentials for " + server);
            return 0;
        }
    }
}
