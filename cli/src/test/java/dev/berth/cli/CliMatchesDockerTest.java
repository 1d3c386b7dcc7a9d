package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise that someone who types docker commands from memory should not notice the
 * difference, checked against the reference itself: each command is run by `bin/berth` and by the
 * docker CLI (28) on the same daemon, and what they print and their exit codes must be the same.
 * The daemon holds a running container with a port, a label and a named volume, an exited one,
 * a user network and an unused volume, so tables have rows and sizes.
 */
@Tag("root")
class CliMatchesDockerTest {
    @org.junit.jupiter.api.io.TempDir
    static Path tmp;
    static BerthDaemon daemon;

    @BeforeAll
    static void startDaemonWithContainers() throws Exception {
        daemon = startWithContainers(tmp);
    }

    @AfterAll
    static void removeAllAndStop() throws Exception {
        if (daemon != null) {
            removeAllAndStop(daemon);
        }
    }

    /** The daemon these commands run against (CliServerTest runs them too). */
    static BerthDaemon startWithContainers(Path tmp) throws Exception {
        BerthDaemon daemon = BerthDaemon.startWithBusybox(tmp.resolve("d"), tmp);
        succeed(daemon, "run", "-d", "--name", "web", "-p", "127.0.0.1::80", "-v", "webdata:/data", "--label", "tier=front",
                "busybox", "sh", "-c", "echo ready > /data/state; sleep 300");
        assertThat(daemon.berth("run", "--name", "batch", "busybox", "sh", "-c", "echo done > /tmp/out; exit 3").exit()).isEqualTo(3);
        succeed(daemon, "network", "create", "backend");
        succeed(daemon, "volume", "create", "spare");
        return daemon;
    }

    static void removeAllAndStop(BerthDaemon daemon) throws Exception {
        daemon.berth("rm", "-f", "-v", "web", "batch");
        daemon.berth("network", "rm", "backend");
        daemon.berth("volume", "rm", "spare", "webdata");
        daemon.close();
    }

    static Stream<List<String>> commands() {
        return Stream.of(
                List.of("ps"), List.of("ps", "-a"), List.of("ps", "-a", "--no-trunc"), List.of("ps", "-aq"),
                List.of("ps", "-s"), List.of("ps", "--filter", "label=tier=front"), List.of("ps", "-a", "--filter", "exited=3"),
                List.of("ps", "-a", "--format", "table {{.Names}}\\t{{.Status}}\\t{{.Ports}}"),
                List.of("ps", "--format", "{{json .}}"), List.of("ps", "-a", "--format", "json"), List.of("container", "ls"),
                List.of("images"), List.of("images", "-q"), List.of("images", "--digests"), List.of("images", "--no-trunc"),
                List.of("images", "--format", "{{json .}}"), List.of("image", "ls"), List.of("history", "busybox"),
                List.of("volume", "ls"), List.of("volume", "ls", "-q"), List.of("volume", "ls", "--format", "json"),
                List.of("volume", "ls", "--filter", "dangling=true"), List.of("volume", "inspect", "spare"),
                List.of("network", "ls"), List.of("network", "ls", "--no-trunc"), List.of("network", "ls", "--format", "json"),
                List.of("network", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Internal}}", "backend"),
                List.of("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{json .Config.Labels}}", "web", "batch"),
                List.of("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "busybox"),
                List.of("port", "web"), List.of("port", "web", "80"), List.of("logs", "batch"), List.of("diff", "batch"),
                List.of("top", "web"), List.of("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}"),
                List.of("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.Images}}"),
                List.of("system", "df"), List.of("system", "df", "-v"),
                List.of("inspect", "-s", "--format", "{{.SizeRw}} {{.SizeRootFs}}", "batch"),
                List.of("search", "busybox"),
                // errors: docker's one-line messages and exit codes
                List.of("inspect", "nosuch"), List.of("rm", "nosuch"), List.of("rmi", "nosuch:1"), List.of("stop", "nosuch"),
                List.of("logs", "nosuch"), List.of("volume", "rm", "nosuch"), List.of("top", "nosuch"),
                List.of("port", "batch", "80"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void printsWhatDockerPrints(List<String> command) throws Exception {
        String[] args = command.toArray(String[]::new);
        BerthDaemon.Result berth = daemon.berth(args);
        BerthDaemon.Result docker = daemon.docker(args);
        if (!berth.equals(docker)) {
            // "2 seconds ago" may have become "3 seconds ago" between the two: once more, back to back
            berth = daemon.berth(args);
            docker = daemon.docker(args);
        }
        assertThat(berth.out()).as("stdout of %s", command).isEqualTo(docker.out());
        assertThat(berth.err()).as("stderr of %s", command).isEqualTo(docker.err());
        assertThat(berth.exit()).as("exit code of %s", command).isEqualTo(docker.exit());
    }

    static Stream<List<String>> badInvocations() {
        return Stream.of(List.of("run", "--bogus", "busybox"), List.of("run", "--cgroupns", "bogus", "busybox"),
                List.of("run", "--userns", "remap", "busybox"), List.of("run", "--device-cgroup-rule", "x", "busybox"),
                List.of("run", "--memory", "lots", "busybox"), List.of("ps", "--bogus"), List.of("rm"),
                List.of("logs", "a", "b"), List.of("container", "bogus"));
    }

    /** Flag and argument errors are the CLI's own: the same words, with the program's name. */
    @ParameterizedTest
    @MethodSource("badInvocations")
    void complainsAsDockerDoes(List<String> command) throws Exception {
        String[] args = command.toArray(String[]::new);
        BerthDaemon.Result berth = daemon.berth(args);
        BerthDaemon.Result docker = daemon.docker(args);
        assertThat(berth.err().replace("berth", "docker")).as("stderr of %s", command).isEqualTo(docker.err());
        assertThat(berth.out()).as("stdout of %s", command).isEqualTo(docker.out());
        assertThat(berth.exit()).as("exit code of %s", command).isEqualTo(docker.exit());
    }

    /**
     * docker's flags that berth leaves out, each for a reason: swarm's cluster volumes, CRIU
     * checkpoints, API 1.48's --platform on image commands, the experimental image tree.
     */
    private static final Map<String, List<String>> NOT_OFFERED = Map.ofEntries(
            Map.entry("images", List.of("tree")),
            Map.entry("image ls", List.of("tree")),
            Map.entry("start", List.of("checkpoint", "checkpoint-dir")),
            Map.entry("rmi", List.of("platform")),
            Map.entry("image rm", List.of("platform")),
            Map.entry("load", List.of("platform")),
            Map.entry("history", List.of("platform")),
            Map.entry("image inspect", List.of("platform")),
            Map.entry("volume create", List.of("availability", "group", "limit-bytes", "required-bytes", "scope", "secret", "sharing",
                    "topology-preferred", "topology-required", "type")),
            Map.entry("volume ls", List.of("cluster")),
            Map.entry("network connect", List.of("gw-priority")));

    static Stream<String> everyCommand() {
        return Stream.of("run", "create", "ps", "images", "exec", "logs", "attach", "start", "stop", "restart", "kill", "rm",
                "rmi", "pull", "push", "tag", "save", "load", "import", "history", "inspect", "top", "stats", "pause", "unpause",
                "wait", "rename", "update", "cp", "diff", "commit", "export", "port", "login", "logout", "version", "info",
                "events", "search", "volume create", "volume ls", "volume inspect", "volume rm", "volume prune",
                "network create", "network ls", "network inspect", "network rm", "network prune", "network connect",
                "network disconnect", "system df", "system prune", "system events", "system info", "container ls",
                "container prune", "image ls", "image prune", "image rm", "image inspect");
    }

    /** Every command takes docker's flags (what --help lists), but for the few named above. */
    @ParameterizedTest
    @MethodSource("everyCommand")
    void takesDockersFlags(String command) throws Exception {
        List<String> words = new java.util.ArrayList<>(List.of(command.split(" ")));
        words.add("--help");
        String[] args = words.toArray(String[]::new);
        List<String> docker = longFlags(daemon.docker(args).out()).stream()
                .filter(f -> !f.equals("help") && !NOT_OFFERED.getOrDefault(command, List.of()).contains(f)).toList();
        assertThat(longFlags(daemon.berth(args).out())).isEqualTo(docker);
    }

    private static List<String> longFlags(String help) {
        return help.lines().map(String::strip).filter(l -> l.startsWith("-"))
                .map(l -> l.replaceFirst("^-[a-zA-Z], ", "")).filter(l -> l.startsWith("--"))
                .map(l -> l.substring(2).split("[ =]")[0]).sorted().toList();
    }

    private static void succeed(BerthDaemon daemon, String... args) throws Exception {
        BerthDaemon.Result r = daemon.berth(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }
}
