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
    int console_fd;   /* where OP_CONSOLE sends the pty master (--console-socket or the stdio relay), or -1 */
    int root_fd;      /* OP_ROOT: what in_root paths resolve beneath */
};

int send_msg(int fd, int type, int op, int err, int pid, const char *detail);
int recv_msg(int fd, struct msg *m);

/* fd helpers (ops.c). close_keeping_errno closes fd and returns rc with the errno of the call
 * that made rc; close_fd closes *fd if open and marks it closed (-1). */
int close_keeping_errno(int fd, int rc);
void close_fd(int *fd);
int write_all(int fd, const void *buf, size_t len);
int write_file(const char *path, const char *content, size_t len);
/* A close-on-exec unix stream socket connected to path, or listening on it. */
int unix_socket(const char *path, int listening);

/* Runs the STAGE1 ops then clones; returns only in the child (0), or -1 after reporting. */
int run_stage1(struct launch *l);
/* Runs the CHILD ops up to and including execve; never returns. */
void run_child(struct launch *l) __attribute__((noreturn));

/* The monitor's main loop, given the loaded plan. Returns the process exit code. */
int run_monitor(struct plan *plan);

/* The monitor's stdio mode (stdio_relay.c). */
#define MAX_CLIENTS 32

struct stdio {
    int enabled, tty, open_stdin;
    const char *log_path, *attach_path;
    long log_max;
    char **rotations;                            /* Java's names for a full log, newest first */
    uint32_t nrotations;
    int log_fd, listen_fd;
    size_t log_size;
    int out_read, err_read, in_write;            /* the shim's ends */
    int child_in, child_out, child_err;          /* the container's ends, until the fork */
    int console_recv, master;                    /* tty: the child sends its pty master here */
    int clients[MAX_CLIENTS], nclients;
};

#define STDIO_INIT { .log_fd = -1, .listen_fd = -1, .out_read = -1, .err_read = -1, .in_write = -1, \
    .child_in = -1, .child_out = -1, .child_err = -1, .console_recv = -1, .master = -1 }

/* OP_STDIO in the monitor: the pipes (with a tty, a socket pair instead: the child sends its pty
 * master on the end put in *console_send), the log and the attach socket. */
int stdio_setup(struct stdio *s, const struct op *op, int *console_send);
/* In STAGE1: the pipes become stdio. */
int stdio_child(struct stdio *s);
/* In the monitor after the fork: drop the container's ends. */
void stdio_parent(struct stdio *s);
/* Relays until the container has exited; returns its wait status. */
int stdio_loop(struct stdio *s, pid_t child);

/* Init mode (init.c): berth-shim -- program args... */
int run_init(char **argv);

#endif
