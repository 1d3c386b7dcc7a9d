package dev.berth.runtime;

import dev.berth.sys.AtomicFile;
import dev.berth.cgroups.CgroupManager;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.State;
import dev.berth.runtime.plan.ExecPlanBuilder;
import dev.berth.runtime.plan.HostInfo;
import dev.berth.runtime.plan.LaunchOptions;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.PlanBuilder;
import dev.berth.sys.ExitWatcher;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The OCI runtime as a library: the lifecycle operations of runtime.md#operations over a state
 * root. The `berth-runtime` CLI is a thin layer over this; so will the engine be.
 */
public final class BerthRuntime {
    private static final int SIGKILL = 9;

    private final StateStore store;
    private final Path shim;
    private final HostInfo host;
    private final Consumer<String> warn;
    /** Made on first use: the CLI, which never watches, does not pay for its thread. */
    private ExitWatcher exits;

    public BerthRuntime(Path root, Path shim, Consumer<String> warn) {
        this.store = new StateStore(root);
        this.shim = shim;
        this.host = HostInfo.detect();
        this.warn = warn;
    }

    /** The shim binary; in its init mode (`berth-shim -- prog`) it is also docker's --init. */
    public Path shim() {
        return shim;
    }

    public StateStore store() {
        return store;
    }

    public Container load(String id) throws IOException {
        return new Container(store.load(id), store.dir(id));
    }

    /**
     * Runs {@code onExit} once a detached container's shim has exited: by then the exit record
     * is written (the shim writes it before it exits). A container whose shim is already gone
     * is reported at once.
     */
    public void onExit(String id, Runnable onExit) throws IOException {
        ContainerRecord r = load(id).record();
        int shimPid = (int) r.shimPid();
        if (shimPid <= 0) {
            Thread.ofVirtual().start(onExit);
            return;
        }
        exitWatcher().watch(shimPid, () -> ProcStat.isAlive(shimPid, r.shimStartTime()), onExit);
    }

    private synchronized ExitWatcher exitWatcher() {
        if (exits == null) {
            exits = new ExitWatcher("berth-exits");
        }
        return exits;
    }

    public List<Container> list() throws IOException {
        List<Container> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                out.add(load(id));
            } catch (ContainerException e) {
                // removed meanwhile
            }
        }
        return out;
    }

    /** A created container and, for a foreground launch, the shim to wait for. */
    public record Created(Container container, ShimHandle shim) {}

    /** The shim of a foreground launch: wait for it to learn the container's exit code. */
    public static final class ShimHandle {
        private final ShimSession session;

        ShimHandle(ShimSession session) {
            this.session = session;
        }

        /** Waits for the shim (and so the container) to exit, then releases the channel to it. */
        public int awaitExit() throws InterruptedException, IOException {
            try {
                return session.awaitExit();
            } finally {
                session.close();
            }
        }
    }

    /**
     * Creates a container: the process exists in its namespaces and cgroup, stopped before the
     * user's program. Anything made on the way is undone if a later step fails.
     */
    public Created create(CreateRequest req) throws IOException {
        Bundle bundle = Bundle.load(req.bundle());
        Spec spec = bundle.spec();
        Path dir = store.createDir(req.id());
        String cgroupsPath = spec.linux() != null && spec.linux().cgroupsPath() != null && !spec.linux().cgroupsPath().isEmpty()
                ? spec.linux().cgroupsPath() : "/" + req.id();
        CgroupManager cgroup = null;
        ShimSession session = null;
        int pid = 0;
        try {
            PlanBuilder builder = new PlanBuilder(spec, bundle.dir(), host);
            cgroup = CgroupManager.open(cgroupsPath);
            cgroup.create();
            cgroup.apply(DeviceRules.effective(spec.linux()));
            boolean hooks = spec.hooks() != null && (notEmpty(spec.hooks().prestart()) || notEmpty(spec.hooks().createRuntime())
                    || notEmpty(spec.hooks().createContainer()));
            Path sync = ShimSession.syncSocketFor(dir, "sync.sock");
            LaunchOptions options = new LaunchOptions(sync, dir.resolve("exit"), dir.resolve("exec.fifo"),
                    req.consoleSocket() == null ? null : req.consoleSocket().toAbsolutePath(), req.detach(), !req.detach(),
                    req.noPivot(), req.preserveFds(), ProcessHandle.current().pid(), cgroup.procsFiles(), hooks, req.stdio());
            LaunchPlan plan = builder.build(options);
            session = ShimSession.start(shim, plan, dir.resolve("plan"), sync);
            ShimSession shimSession = session;
            pid = session.awaitCreated(p -> {
                State state = new State(Container.OCI_VERSION, req.id(), Status.CREATING.text(), p, bundle.dir().toString(), spec.annotations());
                Hooks.run(spec.hooks().prestart(), "prestart", state);
                Hooks.run(spec.hooks().createRuntime(), "createRuntime", state);
                new NamespaceHooks(shim, dir).run(spec.hooks().createContainer(), "createContainer", spec.linux(), state);
            });
            ContainerRecord record = new ContainerRecord(req.id(), bundle.dir().toString(),
                    bundle.dir().resolve(spec.root().path()).normalize().toString(), pid, ProcStat.startTime(pid),
                    shimSession.shimPid(), ProcStat.startTime((int) shimSession.shimPid()), Instant.now().toString(),
                    cgroupsPath, cgroup.createdDirs().stream().map(Path::toString).toList(), owner(),
                    spec.annotations(), spec);
            store.save(record);
            if (req.pidFile() != null) {
                AtomicFile.write(req.pidFile().toAbsolutePath(), String.valueOf(pid).getBytes());
            }
            if (req.detach()) {
                session.close();
            }
            return new Created(new Container(record, dir), req.detach() ? null : new ShimHandle(session));
        } catch (IOException | RuntimeException e) {
            undoCreate(req.id(), pid, session, cgroup);
            throw e;
        }
    }

    private void undoCreate(String id, int pid, ShimSession session, CgroupManager cgroup) {
        if (pid > 0) {
            killQuietly(pid, SIGKILL);
        }
        if (session != null) {
            try {
                session.close();
                session.awaitExit(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // best effort; the cgroup removal below reports what is left
            }
        }
        if (cgroup != null) {
            killAll(cgroup);
            try {
                cgroup.destroy();
            } catch (RuntimeException e) {
                warn.accept("remove cgroup: " + e.getMessage());
            }
        }
        try {
            store.remove(id);
        } catch (IOException e) {
            warn.accept("remove state of " + id + ": " + e.getMessage());
        }
    }

    /** Releases a created container to execve its program (runtime.md#start). */
    public void start(String id) throws IOException {
        Container c = load(id);
        Status status = c.status();
        switch (status) {
            case CREATED -> { }
            case STOPPED -> throw new ContainerException("cannot start a container that has stopped");
            default -> throw new ContainerException("cannot start an already running container");
        }
        Spec.Hooks hooks = c.record().config().hooks();
        if (hooks != null) {
            try {
                new NamespaceHooks(shim, c.dir()).run(hooks.startContainer(), "startContainer", c.record().config().linux(), c.state());
            } catch (LaunchException e) {
                // runtime.md#lifecycle: a failed startContainer hook stops the container.
                killQuietly(c.record().pid(), SIGKILL);
                throw e;
            }
        }
        try (OutputStream fifo = Files.newOutputStream(c.execFifo())) {
            fifo.write(0);
        }
        Files.deleteIfExists(c.execFifo());
        if (hooks != null) {
            Hooks.runAll(hooks.poststart(), "poststart", c.state(Status.RUNNING)).forEach(warn);
        }
    }

    /** create + start + wait + delete: the container's exit code. */
    public int run(CreateRequest req) throws IOException, InterruptedException {
        Created created = create(req);
        try {
            start(req.id());
        } catch (IOException | RuntimeException e) {
            delete(req.id(), true);
            throw e;
        }
        if (req.detach()) {
            return 0;
        }
        int code = created.shim().awaitExit();
        int recorded = created.container().exitCode();
        delete(req.id(), true);
        return recorded >= 0 ? recorded : code;
    }

    /**
     * Starts another process in a running container (runtime spec: "exec" is runc's verb) and,
     * unless detached, waits for it: its exit code.
     */
    public int exec(ExecRequest req) throws IOException, InterruptedException {
        Container c = execTarget(req.id());
        String tag = "exec-" + Long.toHexString(System.nanoTime());
        Path plan = c.dir().resolve(tag + ".plan");
        Path sync = ShimSession.syncSocketFor(c.dir(), tag + ".sock");
        LaunchOptions options = new LaunchOptions(sync, null, null,
                req.consoleSocket() == null ? null : req.consoleSocket().toAbsolutePath(), req.detach(), !req.detach(),
                false, req.preserveFds(), ProcessHandle.current().pid(), c.cgroup().procsFiles(), false, req.stdio());
        LaunchPlan launch = new ExecPlanBuilder(req.process(), c.record().config().linux(), c.record().pid(), host).build(options);
        try (ShimSession session = ShimSession.start(shim, launch, plan, sync)) {
            int pid = session.awaitCreated(p -> { });
            if (req.pidFile() != null) {
                AtomicFile.write(req.pidFile().toAbsolutePath(), String.valueOf(pid).getBytes());
            }
            return req.detach() ? 0 : session.awaitExit();
        } finally {
            Files.deleteIfExists(plan);
            Files.deleteIfExists(sync);
        }
    }

    /** The container to exec in: it must be running (not paused, not stopped). */
    private Container execTarget(String id) throws IOException {
        Container c = load(id);
        switch (c.status()) {
            case RUNNING -> { }
            case PAUSED -> throw new ContainerException("cannot exec in a paused state");
            default -> throw new ContainerException("cannot exec in a " + c.status().text() + " state");
        }
        return c;
    }

    /**
     * Starts another process in a running container and holds it just before its execve, for a
     * caller that must attach to its stdio ({@code req.stdio()}, served by its shim) before it
     * writes anything: docker's exec. A program that cannot be found fails here, with the
     * launch error. The caller releases and awaits the process, then closes it.
     */
    public ExecProcess execStaged(ExecRequest req) throws IOException {
        Container c = execTarget(req.id());
        String tag = "exec-" + Long.toHexString(System.nanoTime());
        Path plan = c.dir().resolve(tag + ".plan");
        Path fifo = c.dir().resolve(tag + ".fifo");
        Path sync = ShimSession.syncSocketFor(c.dir(), tag + ".sock");
        // Not detached: the shim stays our child, and its exit code is the process's.
        LaunchOptions options = new LaunchOptions(sync, null, fifo, null, false, false,
                false, 0, ProcessHandle.current().pid(), c.cgroup().procsFiles(), false, req.stdio());
        LaunchPlan launch = new ExecPlanBuilder(req.process(), c.record().config().linux(), c.record().pid(), host).build(options);
        ShimSession session = ShimSession.start(shim, launch, plan, sync);
        try {
            int pid = session.awaitCreated(p -> { });
            return new ExecProcess(session, pid, fifo, plan, sync);
        } catch (IOException | RuntimeException e) {
            session.close();
            try {
                session.awaitExit(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(plan);
            Files.deleteIfExists(fifo);
            throw e;
        }
    }

    public void kill(String id, int signal, boolean all) throws IOException {
        Container c = load(id);
        Status status = c.status();
        if (status == Status.STOPPED) {
            throw new ContainerException("container not running");
        }
        if (all) {
            for (int pid : c.pids()) {
                killQuietly(pid, signal);
            }
        } else {
            Syscalls.linux().kill(c.record().pid(), signal);
        }
    }

    /** Removes a container; a running one only with force, which kills it first. */
    public void delete(String id, boolean force) throws IOException, InterruptedException {
        if (force && !store.exists(id) && Files.isDirectory(store.dir(id))) {
            // Debris of a create that died before writing state.json: nothing to stop, only files.
            store.remove(id);
            return;
        }
        Container c = load(id);
        Status status = c.status();
        if ((status == Status.RUNNING || status == Status.PAUSED) && !force) {
            throw new ContainerException("cannot delete container " + id + " that is not stopped: " + status.text());
        }
        CgroupManager cgroup = c.cgroup();
        if (status != Status.STOPPED) {
            killAll(cgroup);
            killQuietly(c.record().pid(), SIGKILL);
            if (status == Status.PAUSED) {
                cgroup.thaw();
            }
        }
        awaitGone(c);
        cgroup.destroy();
        State last = c.state(Status.STOPPED);
        store.remove(id);
        Spec.Hooks hooks = c.record().config().hooks();
        if (hooks != null) {
            Hooks.runAll(hooks.poststop(), "poststop", last).forEach(warn);
        }
    }

    public void pause(String id) throws IOException {
        Container c = load(id);
        if (c.status() != Status.RUNNING) {
            throw new ContainerException("container not running");
        }
        c.cgroup().freeze();
    }

    public void resume(String id) throws IOException {
        Container c = load(id);
        if (c.status() != Status.PAUSED) {
            throw new ContainerException("container not paused");
        }
        c.cgroup().thaw();
    }

    public void update(String id, Spec.Resources resources) throws IOException {
        Container c = load(id);
        if (c.status() == Status.STOPPED) {
            throw new ContainerException("container not running");
        }
        c.cgroup().apply(resources);
    }

    /** Waits (bounded) for the init process and the shim to be gone, so nothing writes into the state dir after us. */
    private static void awaitGone(Container c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((ProcStat.isAlive(c.record().pid(), c.record().pidStartTime())
                || ProcStat.isAlive((int) c.record().shimPid(), c.record().shimStartTime()))
                && System.nanoTime() < deadline) {
            // ProcessHandle.onExit() polls non-children far more slowly than this.
            Thread.sleep(2);
        }
    }

    private static void killAll(CgroupManager cgroup) {
        try {
            for (int pid : cgroup.pids()) {
                killQuietly(pid, SIGKILL);
            }
        } catch (RuntimeException ignored) {
            // no cgroup, nothing to kill
        }
    }

    private static void killQuietly(int pid, int signal) {
        try {
            Syscalls.linux().kill(pid, signal);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static String owner() {
        return System.getProperty("user.name", "");
    }
}
