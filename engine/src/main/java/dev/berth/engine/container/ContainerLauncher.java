package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.CreateRequest;
import dev.berth.runtime.LaunchException;
import dev.berth.runtime.stdio.Stdio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Running a container's process, whoever asks (docker start and restart, a restart policy, the
 * daemon's start): a fresh shim through the runtime, holding the container's stdio and log; its
 * networks connected between the runtime's create and start, when the netns exists and nothing
 * runs yet; the attaches `docker run` registered connected before the program starts, so that
 * no early output is lost; then its exit and health watched. Callers hold the container's
 * monitor.
 */
final class ContainerLauncher {
    private final ContainerStore store;
    private final BerthRuntime runtime;
    private final DaemonConfig config;
    private final ContainerNetworking networking;
    private final Attachments attachments;
    private final HealthMonitor health;
    private final ContainerExits exits;
    private final ContainerEvents events;
    /** A container by id or name, as the API finds it: --network container:x names x so. */
    private final Function<String, ContainerRecord> lookup;

    ContainerLauncher(ContainerStore store, BerthRuntime runtime, DaemonConfig config, ContainerNetworking networking,
                      Attachments attachments, HealthMonitor health, ContainerExits exits, ContainerEvents events,
                      Function<String, ContainerRecord> lookup) {
        this.store = store;
        this.runtime = runtime;
        this.config = config;
        this.networking = networking;
        this.attachments = attachments;
        this.health = health;
        this.exits = exits;
        this.events = events;
        this.lookup = lookup;
    }

    /**
     * Runs the container's process under a fresh shim, then watches for its exit. A failed
     * launch ends like an exit (so waiters return), with docker's codes: 127 the program was not
     * found, 126 it could not be run, 128 anything else (the runtime says which).
     */
    void launch(ContainerRecord r) throws IOException {
        try {
            runtime.delete(r.id(), true);
        } catch (ContainerException | InterruptedException ignored) {
            // no previous run to clean up
        }
        boolean openStdin = r.config() != null && Boolean.TRUE.equals(r.config().openStdin());
        LogOptions log = LogOptions.of(r.hostConfig(), config);
        joinNetworkOfContainer(r);
        int pid;
        try {
            pid = runtime.create(new CreateRequest(r.id(), store.bundle(r.id()), null, null, false, 0, true,
                    new Stdio(openStdin, store.logFile(r.id()), log.maxBytes(), log.rotations(store.logFile(r.id())),
                            store.attachSocket(r.id()))))
                    .container().record().pid();
        } catch (IOException | RuntimeException e) {
            int code = !(e instanceof LaunchException l) ? 128 : switch (l.failure()) {
                case PROGRAM_NOT_FOUND -> 127;
                case PROGRAM_NOT_RUNNABLE -> 126;
                case OTHER -> 128;
            };
            exits.launchFailed(r, code);
            throw new EngineException(400, "failed to create task for container: " + e.getMessage(), e);
        }
        try {
            networking.publish(events.log(), "connect", r.id(),
                    networking.connectAll(r.id(), r.name(), pid, store.dir(r.id()), r.hostConfig(), r.hostname()));
        } catch (RuntimeException e) {
            // Nothing half-made: connectAll undid its endpoints; the process never ran.
            try {
                runtime.delete(r.id(), true);
            } catch (IOException | RuntimeException | InterruptedException ignored) {
                // the error that matters is the network's
            }
            if (r.status().equals("restarting")) {
                // A restart policy's start that cannot connect: down, not restarting for ever.
                store.save(r.withStatus("exited", 128, false, r.startedAt(), Instant.now().toString()));
                store.wake(r.id());
            }
            throw e;
        }
        try {
            attachments.awaitConnected(r.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            runtime.start(r.id());
        } catch (IOException | RuntimeException e) {
            networking.disconnectAll(r.id());
            throw e;
        }
        ContainerRecord running = store.save(r.started(pid, Instant.now().toString(),
                health.configured(r) ? HealthState.starting() : null));
        events.publish("start", running);
        watch(running);
    }

    /** Watches a running container (just launched, or adopted at the daemon's start): its exit and its health. */
    void watch(ContainerRecord running) throws IOException {
        runtime.onExit(running.id(), () -> exits.exited(running.id()));
        health.watch(running);
    }

    /**
     * --network container:x: the config.json joins x's netns (the path of its running init, so
     * each start re-reads it) and the container gets x's hosts and resolv.conf, as in docker.
     */
    private void joinNetworkOfContainer(ContainerRecord r) throws IOException {
        String mode = ContainerNetworking.mode(r.hostConfig());
        if (!mode.startsWith("container:")) {
            return;
        }
        ContainerRecord target = lookup.apply(mode.substring("container:".length()));
        if (target.id().equals(r.id())) {
            throw new EngineException(400, "cannot join own network namespace");
        }
        if (!target.status().equals("running")) {
            throw new EngineException(409, "cannot join network namespace of a non running container: container "
                    + target.id() + " is " + target.status());
        }
        Path configJson = store.configJson(r.id());
        Spec spec = Json.parse(Files.readString(configJson), Spec.class);
        Files.writeString(configJson, Json.write(SpecGenerator.withNetworkNamespace(spec, "/proc/" + target.pid() + "/ns/net")));
        for (String f : List.of("hosts", "resolv.conf")) {
            Path from = store.dir(target.id()).resolve(f);
            if (Files.exists(from)) {
                ContainerNetworking.writeInPlace(store.dir(r.id()).resolve(f), Files.readString(from));
            }
        }
    }
}
