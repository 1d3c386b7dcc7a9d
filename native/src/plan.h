/*
 * The launch plan: a flat list of primitive operations decided by Java (dev.berth.runtime.plan),
 * executed here one by one. This file is the format's single C definition; LaunchPlan.java is
 * the other half and the two must change together (bump PLAN_VERSION).
 *
 * Encoding, little-endian:
 *   "BPLN" u32 version u32 op_count, then per op:
 *   u16 code, u16 actor, u32 nints, u32 nstrs, i64 ints[nints], { u32 len, u8 bytes[len] }[nstrs]
 *
 * Each op is run by one actor (who runs it is part of the plan, not decided here):
 *   MONITOR  the shim itself, before anything is forked (its own fds and settings);
 *   STAGE1   the forked helper that joins existing namespaces, then clones the container;
 *   PARENT   the shim again, once the container's pid is known (id maps, cgroup.procs);
 *   CHILD    the container process, from its first instruction to execve.
 * A failure is reported as (op index, errno, detail); Java names the config field from the index.
 */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#include <stdint.h>
#include <stddef.h>

#define PLAN_MAGIC "BPLN"
#define PLAN_VERSION 2

enum actor { ACTOR_MONITOR = 0, ACTOR_STAGE1 = 1, ACTOR_PARENT = 2, ACTOR_CHILD = 3 };

enum op_code {
    /* MONITOR */
    OP_SYNC_SOCKET = 1,   /* s[0]=path of Java's unix socket: reports go there */
    OP_EXIT_FILE = 2,     /* s[0]=path: "exit <code> signal <sig>" written on the container's exit */
    OP_EXEC_FIFO = 4,     /* s[0]=path: made (mkfifo) for `start` to write to; the child waits on it */
    OP_CONSOLE_SOCKET = 5,/* s[0]=path of --console-socket; the pty master is sent there */
    OP_INHERIT_FD = 6,    /* i[0]=pid i[1]=its fd i[2]=our fd: copy a caller's fd (pidfd_getfd) */
    OP_DETACH = 7,        /* become a session leader with stdio on /dev/null: outlive the caller */
    OP_FORWARD_SIGNALS = 8, /* i[]=the signals to pass on to the container */
    OP_STDIO = 10,        /* stdio mode (stdio_relay.c): i[0]=1 open stdin | 2 tty, i[1]=log max bytes,
                             s[0]=log path ("" none), s[1]=attach socket ("" none), s[2..]=the names
                             a full log is renamed through, newest first (none: it never rotates) */
    /* STAGE1 */
    OP_SETNS = 20,        /* s[0]=path i[0]=nstype */
    OP_CLONE = 21,        /* i[0]=clone flags; the child continues with the CHILD ops */
    /* PARENT */
    OP_WRITE_PID = 30,    /* s[0]=file: the child's host pid is written to it (cgroup.procs) */
    OP_WRITE_PROC = 31,   /* s[0]=name under /proc/<child>/ s[1]=content (uid_map, setgroups) */
    /* CHILD */
    OP_UNSHARE = 40,      /* i[0]=flags */
    OP_WRITE_FILE = 41,   /* s[0]=path s[1]=content i[0]=missing_ok */
    OP_MOUNT = 42,        /* s[0]=source s[1]=target s[2]=fstype s[3]=data
                             i[0]=flags i[1]=in_root i[2]=missing_ok
                             i[3]=keep_locked: add the target's current nosuid/nodev/noexec/
                             rdonly/atime flags, which a remount in a user namespace may not drop */
    OP_ROOT = 43,         /* s[0]=path: the directory in_root targets resolve beneath */
    OP_MKDIRS = 44,       /* s[0]=path in root i[0]=mode i[1]=last component is a file */
    OP_MKNOD = 45,        /* s[0]=path in root i[0]=mode i[1]=major i[2]=minor i[3]=uid i[4]=gid */
    OP_SYMLINK = 46,      /* s[0]=link target s[1]=link path in root */
    OP_PIVOT_ROOT = 47,   /* s[0]=new root */
    OP_MOVE_ROOT = 48,    /* s[0]=new root: MS_MOVE + chroot, for --no-pivot */
    OP_SETHOSTNAME = 49,  /* s[0] */
    OP_SETDOMAINNAME = 50,/* s[0] */
    OP_RLIMIT = 51,       /* i[0]=resource i[1]=soft i[2]=hard (-1 = unlimited) */
    OP_CHDIR = 52,        /* s[0] */
    OP_SETGROUPS = 53,    /* i[]=gids */
    OP_SETRESGID = 54,    /* i[0] */
    OP_SETRESUID = 55,    /* i[0] */
    OP_KEEPCAPS = 56,     /* i[0]=0|1 */
    OP_CAPBSET_DROP = 57, /* i[]=capability numbers to drop from the bounding set */
    OP_CAPSET = 58,       /* i[0]=effective i[1]=permitted i[2]=inheritable (64-bit masks) */
    OP_AMBIENT_RAISE = 59,/* i[]=capability numbers */
    OP_NO_NEW_PRIVS = 60,
    OP_SECCOMP = 61,      /* s[0]=sock_filter array i[0]=SECCOMP_FILTER_FLAG_* */
    OP_UMASK = 62,        /* i[0] */
    OP_CONSOLE = 65,      /* i[0]=rows i[1]=cols: open a pty in the container, send its master */
    OP_CLOSE_FROM = 66,   /* i[0]=first fd not to inherit across execve */
    OP_HOOK_POINT = 67,   /* stop; Java runs hooks; continue or abort */
    OP_WAIT_START = 68,   /* report "created", then block until `start` writes the fifo */
    OP_EXEC = 69,         /* i[0]=argc i[1]=envc s[0]=PATH s[1..argc]=argv s[argc+1..]=env, the last */
    OP_LOOKUP = 71,       /* as OP_EXEC: find the program now (PATH search, as the final user),
                             so that `create` fails if it is missing; OP_EXEC then uses it */
};

struct op {
    uint16_t code;
    uint16_t actor;
    uint32_t nints;
    uint32_t nstrs;
    int64_t *ints;
    char **strs;        /* NUL-terminated copies, then a NULL */
    uint32_t *lens;     /* their lengths (strings may hold binary, e.g. a BPF program) */
};

struct plan {
    uint32_t count;
    struct op *ops;
};

/* Reads and decodes a plan file; on error prints why to stderr and returns -1. */
int plan_load(const char *path, struct plan *out);

#endif
