package dev.berth.api.compat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Testcontainers against the daemon named by DOCKER_HOST, in a JVM of its own (Testcontainers
 * reads its configuration from the environment once per JVM): run by {@link TestcontainersCompatTest},
 * which asserts the {@code key=value} lines printed here. Argument: a scratch directory.
 */
public final class TestcontainersMain {
    private TestcontainersMain() {}

    private static void out(String key, Object value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Path.of(args[0]);
        out("docker.available", DockerClientFactory.instance().isDockerAvailable());
        out("docker.apiVersion", DockerClientFactory.instance().getActiveApiVersion());
        // Nothing can be pulled here: busybox:latest was loaded into the daemon beforehand.
        ImagePullPolicy never = image -> false;
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                .withImagePullPolicy(never)
                .withEnv("GREETING", "hello-from-testcontainers")
                .withLabel("suite", "compat")
                .withCommand("sh", "-c", "echo $GREETING; echo starting >&2; echo ready; exec sleep 300")
                .waitingFor(Wait.forLogMessage(".*ready.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            out("running", c.isRunning());
            out("containerId.length", c.getContainerId().length());
            out("logs.stdout", c.getLogs(OutputFrame.OutputType.STDOUT).strip().replace('\n', ','));
            out("logs.stderr", c.getLogs(OutputFrame.OutputType.STDERR).strip().replace('\n', ','));

            Container.ExecResult r = c.execInContainer("sh", "-c", "echo exec-out; echo exec-err >&2; exit 4");
            out("exec.exit", r.getExitCode());
            out("exec.stdout", r.getStdout().strip());
            out("exec.stderr", r.getStderr().strip());

            Path in = scratch.resolve("in.txt");
            Files.writeString(in, "copied in\n");
            c.copyFileToContainer(MountableFile.forHostPath(in), "/tmp/in.txt");
            out("copyIn.cat", c.execInContainer("cat", "/tmp/in.txt").getStdout().strip());
            c.copyFileToContainer(org.testcontainers.images.builder.Transferable.of("transferable\n"), "/tmp/t.txt");
            out("copyIn.transferable", c.execInContainer("cat", "/tmp/t.txt").getStdout().strip());

            c.execInContainer("sh", "-c", "echo made inside > /tmp/out.txt");
            Path outFile = scratch.resolve("out.txt");
            c.copyFileFromContainer("/tmp/out.txt", outFile.toString());
            out("copyOut.file", Files.readString(outFile, StandardCharsets.UTF_8).strip());
            out("copyOut.stream", c.copyFileFromContainer("/tmp/in.txt",
                    s -> new String(s.readAllBytes(), StandardCharsets.UTF_8)).strip());

            out("inspect.label", c.getContainerInfo().getConfig().getLabels().get("suite"));
            String id = c.getContainerId();
            c.stop();
            out("stopped.running", c.isRunning());
            boolean gone;
            try {
                DockerClientFactory.instance().client().inspectContainerCmd(id).exec();
                gone = false;
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                gone = true;
            }
            out("stopped.removed", gone);
        }
        more(scratch);
        out("done", true);
    }

    private static GenericContainer<?> busybox() {
        return new GenericContainer<>(DockerImageName.parse("busybox:latest")).withImagePullPolicy(image -> false);
    }

    /** A message and its causes, on one line. */
    private static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(" <- ").append(t.getMessage() == null ? "" : t.getMessage().replace('\n', ' '));
        }
        return b.toString();
    }

    /** Copy before start, a healthcheck wait, followOutput, a bind and a tmpfs; what is refused, and how. */
    private static void more(Path scratch) throws Exception {
        Files.writeString(scratch.resolve("bound.txt"), "bound\n");
        try (GenericContainer<?> c = busybox()
                .withCopyToContainer(org.testcontainers.images.builder.Transferable.of("before start\n"), "/tmp/pre.txt")
                .withFileSystemBind(scratch.toString(), "/bound", org.testcontainers.containers.BindMode.READ_ONLY)
                .withTmpFs(java.util.Map.of("/scratch", "rw,size=1m"))
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                        .withTest(java.util.List.of("CMD-SHELL", "[ -f /tmp/pre.txt ]")).withInterval(500_000_000L)))
                .withCommand("sh", "-c", "cat /tmp/pre.txt; sleep 1; echo later; exec sleep 300")
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            out("health", c.getCurrentContainerInfo().getState().getHealth().getStatus());
            org.testcontainers.containers.output.WaitingConsumer consumer = new org.testcontainers.containers.output.WaitingConsumer();
            c.followOutput(consumer, OutputFrame.OutputType.STDOUT);
            consumer.waitUntil(f -> f.getUtf8String().contains("later"), 30, java.util.concurrent.TimeUnit.SECONDS);
            out("followOutput", "later");
            out("copyBeforeStart", c.getLogs(OutputFrame.OutputType.STDOUT).lines().findFirst().orElse(""));
            out("bind", c.execInContainer("cat", "/bound/bound.txt").getStdout().strip());
            out("tmpfs", c.execInContainer("sh", "-c", "grep -c ' /scratch tmpfs ' /proc/mounts").getStdout().strip());
        }
        // An exposed port: Testcontainers waits for it to listen on the mapped host port, then we talk to it.
        try (GenericContainer<?> c = busybox().withExposedPorts(80)
                .withCommand("sh", "-c", "while true; do echo pong | nc -l -p 80; done")) {
            c.start();
            try (java.net.Socket s = new java.net.Socket(c.getHost(), c.getMappedPort(80))) {
                s.setSoTimeout(5000);
                out("exposedPorts", new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine());
            }
        }
        try (GenericContainer<?> c = new GenericContainer<>(new org.testcontainers.images.builder.ImageFromDockerfile()
                .withDockerfileFromBuilder(b -> b.from("busybox:latest").build())).withCommand("true")) {
            c.start();
            out("build", "started");
        } catch (Exception e) {
            out("build.refused", messages(e).contains("image build (docker build) is not implemented by berth yet"));
        }
    }
}
