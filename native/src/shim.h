/*
 * The processes of one launch and what they tell each other.
 *
 *   Java ──(unix socket, text lines)── MONITOR ──fork── STAGE1 ──clone(ns flags)── CHILD
 *
 *   STAGE1 → MONITOR   MSG_PID     the container's host pid (STAGE1 then exits; the child is
 *                                   re-parented to the monitor, a child subreaper)
 *   MONITOR            runs PARENT ops (id maps, cgroup.procs) for that pid
 *   MONITOR → CHILD    MSG_GO      the child may run its CHILD ops
 *   CHILD → MONITOR    MSG_HOOK    at a hook point; MONITOR asks Java, answers MSG_GO or MSG_ABORT
 *   CHILD → MONITOR    MSG_READY   set up, waiting on the exec fifo ("created")
 *   CHILD → MONITOR    MSG_ERROR   op index, errno and a word on which call failed
 *   CHILD → MONITOR    EOF         the socket is close-on-exec: EOF after READY means execve worked
 *
 *   MONITOR → Java: "pid N", "hook I PID", "error I ERRNO DETAIL", "exec"; Java → MONITOR: "go" | "abort"
 */
#ifndef BERTH_SHIM_H
#define BERTH_SHIM_H

#include "plan.h"
#include <sys/types.h>

enum msg_type { MSG_PID = 1, MSG_GO, MSG_ABORT, MSG_HOOK, MSG_READY, MSG_ERROR };

struct msg {
    int32_t type;
    int32_t op;      /* plan index, for MSG_HOOK and MSG_ERROR */
    int32_t err;     /* errno, for MSG_ERROR */
    int32_t pid;     /* for MSG_PID */
    char detail[112];
};

/* State shared by the actors; fds here are close-on-exec. */
struct launch {
    struct plan *plan;
    int sync_fd;      /* the child's (or stage1's) end of the socketpair with the monitor */
    int fifo_fd;      /* exec fifo, opened read-write by the monitor, -1 without one */
    int console_fd;   /* connected --console-socket, -1 without one */
    int root_fd;      /* OP_ROOT: what in_root paths resolve beneath */
};

int send_msg(int fd, int type, int op, int err, int pid, const char *detail);
int recv_msg(int fd, struct msg *m);

/* Runs the STAGE1 ops then clones; returns only in the child (0), or -1 after reporting. */
int run_stage1(struct launch *l);
/* Runs the CHILD ops up to and including execve; never returns. */
void run_child(struct launch *l) __attribute__((noreturn));

/* The monitor's main loop, given the loaded plan. Returns the process exit code. */
int run_monitor(struct plan *plan);

#endif
