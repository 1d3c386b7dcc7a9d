package dev.berth.runtime;

import dev.berth.cgroups.CgroupManager;
import dev.berth.oci.runtime.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A container as found on disk: its record, its state dir, and its cgroup. */
public final class Container {
    public static final String OCI_VERSION = "1.2.0";

    private final ContainerRecord record;
    private final Path dir;

    Container(ContainerRecord record, Path dir) {
        this.record = record;
        this.dir = dir;
    }

    public ContainerRecord record() {
        return record;
    }

    public String id() {
        return record.id();
    }

    Path dir() {
        return dir;
    }

    Path execFifo() {
        return dir.resolve("exec.fifo");
    }

    Path exitFile() {
        return dir.resolve("exit");
    }

    public CgroupManager cgroup() {
        CgroupManager cgroup = CgroupManager.open(record.cgroupsPath());
        if (record.cgroupDirs() != null) {
            cgroup.adopt(record.cgroupDirs().stream().map(Path::of).toList());
        }
        return cgroup;
    }

    /** Derived each time from the kernel, never stored: a process that died is "stopped". */
    public Status status() {
        if (Files.exists(exitFile()) || !ProcStat.isAlive(record.pid(), record.pidStartTime())) {
            return Status.STOPPED;
        }
        if (Files.exists(execFifo())) {
            return Status.CREATED;
        }
        return frozen() ? Status.PAUSED : Status.RUNNING;
    }

    private boolean frozen() {
        try {
            return cgroup().frozen();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public State state() {
        Status status = status();
        return new State(OCI_VERSION, record.id(), status.text(), status == Status.STOPPED ? 0 : record.pid(),
                record.bundle(), record.annotations());
    }

    State state(Status status) {
        return new State(OCI_VERSION, record.id(), status.text(), record.pid(), record.bundle(), record.annotations());
    }

    /** Host pids of every process in the container (its cgroup), init first. */
    public List<Integer> pids() {
        List<Integer> pids = new java.util.ArrayList<>(cgroup().pids());
        pids.sort(null);
        if (pids.remove(Integer.valueOf(record.pid()))) {
            pids.addFirst(record.pid());
        }
        return pids;
    }

    /** The exit code the shim recorded, or -1 if none is recorded. */
    public int exitCode() {
        try {
            String[] words = Files.readString(exitFile()).trim().split(" ");
            return Integer.parseInt(words[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
