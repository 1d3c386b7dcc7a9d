package dev.berth.runtime.linux;

import dev.berth.oci.runtime.SpecException;

/** The namespace types of config-linux.md#namespaces, with their clone(2) flags and /proc names. */
public enum NamespaceType {
    // Order matters when joining by path: the user namespace first, so that the others are
    // joined with the privileges it grants (as runc's nsexec orders them).
    USER("user", 0x10000000L, "user"),
    PID("pid", 0x20000000L, "pid"),
    NETWORK("network", 0x40000000L, "net"),
    MOUNT("mount", 0x00020000L, "mnt"),
    IPC("ipc", 0x08000000L, "ipc"),
    UTS("uts", 0x04000000L, "uts"),
    CGROUP("cgroup", 0x02000000L, "cgroup"),
    TIME("time", 0x00000080L, "time");

    public final String specName;
    public final long cloneFlag;
    public final String procName;

    NamespaceType(String specName, long cloneFlag, String procName) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    public static NamespaceType of(String specName, String field) {
        for (NamespaceType t : values()) {
            if (t.specName.equals(specName)) {
                return t;
            }
        }
        throw new SpecException(field + ": unknown namespace type \"" + specName + "\"");
    }
}
