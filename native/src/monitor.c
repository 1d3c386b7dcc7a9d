/*
 * The MONITOR actor: the shim. It sets up its own fds, forks STAGE1 (which clones the container),
 * runs the PARENT ops for the container's pid, relays the child's reports to Java, and then stays
 * as the container's parent until it exits, recording how it ended. The handshake is drawn in
 * shim.h.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct monitor {
    struct launch launch;
    int java_fd;          /* the line-oriented channel to Java, -1 once Java has gone */
    const char *exit_file;
    int detach;
    struct op *signals;   /* OP_FORWARD_SIGNALS, or NULL */
    int wait_start;       /* the plan stops at OP_WAIT_START ("create", not "exec") */
    int fd_floor;         /* our own fds live at or above this, clear of inherited ones */
    struct stdio stdio;   /* OP_STDIO: output to a log and attached clients */
};

static volatile pid_t forward_to = 0;

static void forward_signal(int sig)
{
    if (forward_to > 0)
        kill(forward_to, sig);
}

static void java_say(struct monitor *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void java_say(struct monitor *m, const char *fmt, ...)
{
    if (m->java_fd < 0)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    if (send(m->java_fd, line, n, MSG_NOSIGNAL) != n)
        close_fd(&m->java_fd);
}

/* Reads one line from Java; returns its length, or -1 if Java has gone. */
static int java_hear(struct monitor *m, char *buf, size_t size)
{
    size_t n = 0;
    while (m->java_fd >= 0 && n + 1 < size) {
        char c;
        if (TEMP_FAILURE_RETRY(read(m->java_fd, &c, 1)) != 1)
            return -1;
        if (c == '\n')
            break;
        buf[n++] = c;
    }
    buf[n] = '\0';
    return (int)n;
}

static void report_error(struct monitor *m, int index, int err, const char *detail)
{
    if (m->java_fd >= 0)
        java_say(m, "error %d %d %s", index, err, detail);
    else
        fprintf(stderr, "berth-shim: op %d: %s: %s\n", index, detail, strerror(err));
}

/* Moves an fd of ours above the inherited ones, close-on-exec. */
static int lift(struct monitor *m, int fd)
{
    if (fd < 0 || fd >= m->fd_floor)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, m->fd_floor);
    close(fd);
    return high;
}

/* Copies fd `src` of process `pid` to our fd `dst` (for --preserve-fds: the JVM cannot pass
 * fds beyond stdio to a child, so the shim takes them from it). */
static int inherit_fd(pid_t pid, int src, int dst)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return -1;
    int fd = close_keeping_errno(pidfd, (int)syscall(SYS_pidfd_getfd, pidfd, src, 0));
    if (fd < 0 || (fd != dst && dup2(fd, dst) < 0))
        return -1;
    if (fd != dst)
        close(fd);
    return fcntl(dst, F_SETFD, 0);
}

static void null_stdio(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return;
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
}

static int setup_monitor(struct monitor *m)
{
    struct plan *p = m->launch.plan;
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        m->wait_start |= op->code == OP_WAIT_START;
        if (op->actor != ACTOR_MONITOR)
            continue;
        const char *what = NULL;
        int rc = 0;
        switch (op->code) {
        case OP_INHERIT_FD:
            /* Java puts these first, so that nothing of ours is sitting on their numbers. */
            what = "take preserved fd", rc = inherit_fd((pid_t)op->ints[0], (int)op->ints[1], (int)op->ints[2]);
            if (op->ints[2] >= m->fd_floor)
                m->fd_floor = (int)op->ints[2] + 1;
            break;
        case OP_SYNC_SOCKET:
            what = "connect to berth-runtime", rc = m->java_fd = lift(m, unix_socket(op->strs[0], 0));
            break;
        case OP_EXIT_FILE:
            m->exit_file = op->strs[0];
            break;
        case OP_EXEC_FIFO:
            /* Read-write, so that opening never blocks and the child's read waits for data. */
            what = "mkfifo", rc = mkfifo(op->strs[0], 0600);
            if (rc == 0 || errno == EEXIST)
                what = "open exec fifo", rc = m->launch.fifo_fd = lift(m, open(op->strs[0], O_RDWR | O_CLOEXEC));
            break;
        case OP_CONSOLE_SOCKET:
            what = "connect to console socket", rc = m->launch.console_fd = lift(m, unix_socket(op->strs[0], 0));
            break;
        case OP_DETACH:
            m->detach = 1;
            break;
        case OP_FORWARD_SIGNALS:
            m->signals = op;
            break;
        case OP_STDIO:
            what = "set up stdio", rc = stdio_setup(&m->stdio, op, &m->launch.console_fd);
            break;
        default:
            errno = EINVAL;
            what = "unknown monitor op", rc = -1;
        }
        if (rc < 0) {
            report_error(m, i, errno, what);
            return -1;
        }
    }
    return 0;
}

static int run_parent_ops(struct monitor *m, pid_t child)
{
    struct plan *p = m->launch.plan;
    char path[4096], pid[32];
    snprintf(pid, sizeof pid, "%d", child);
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor != ACTOR_PARENT)
            continue;
        const char *file = op->strs[0], *content = pid;
        size_t len = strlen(pid);
        if (op->code == OP_WRITE_PROC) {
            snprintf(path, sizeof path, "/proc/%d/%s", child, op->strs[0]);
            file = path, content = op->strs[1], len = op->lens[1];
        }
        if (write_file(file, content, len) < 0) {
            report_error(m, i, errno, op->code == OP_WRITE_PROC ? "write /proc/<pid>/" : "write pid");
            return -1;
        }
    }
    return 0;
}

/* "exit <code> signal <sig>", written atomically: temp file, fsync, rename. */
static void write_exit_file(const char *path, int code, int sig)
{
    char tmp[4096], text[64];
    int len = snprintf(text, sizeof text, "exit %d signal %d\n", code, sig);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    int written = write_all(fd, text, len) == 0 && fsync(fd) == 0;
    close(fd);
    if (written)
        rename(tmp, path);
}

/* Ends a launch that failed: reports why (unless already reported) and kills the child. */
static int give_up(struct monitor *m, pid_t child, int index, int err, const char *detail)
{
    if (detail)
        report_error(m, index, err, detail);
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    close_fd(&m->java_fd);
    return 1;
}

/* Waits for the container's exit, reaping any orphan re-parented to us meanwhile (or, in stdio
 * mode, relaying its output until then). */
static int wait_container(struct monitor *m, pid_t child)
{
    int status = 0;
    if (m->stdio.enabled) {
        status = stdio_loop(&m->stdio, child);
    } else {
        for (;;) {
            pid_t pid = waitpid(-1, &status, 0);
            if (pid == child)
                break;
            if (pid < 0 && errno != EINTR)
                return 255;
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (m->exit_file)
        write_exit_file(m->exit_file, code, sig);
    return code;
}

int run_monitor(struct plan *plan)
{
    struct monitor m = { .launch = { plan, -1, -1, -1, -1 }, .java_fd = -1, .fd_floor = 3, .stdio = STDIO_INIT };
    if (setup_monitor(&m) < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    if (m.detach)
        setsid();
    /* Orphans of the container (and the container itself, once STAGE1 exits) come to us. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return give_up(&m, 0, -1, errno, "socketpair");
    sv[0] = lift(&m, sv[0]);
    sv[1] = lift(&m, sv[1]);
    pid_t stage1 = fork();
    if (stage1 < 0)
        return give_up(&m, 0, -1, errno, "fork");
    if (stage1 == 0) {
        close(sv[0]);
        close_fd(&m.java_fd);
        m.launch.sync_fd = sv[1];
        if (m.stdio.enabled && stdio_child(&m.stdio) < 0) {
            send_msg(sv[1], MSG_ERROR, -1, errno, 0, "stdio");
            _exit(1);
        }
        if (run_stage1(&m.launch) == 0)
            run_child(&m.launch);
        _exit(1);
    }
    close(sv[1]);
    close_fd(&m.launch.fifo_fd);
    close_fd(&m.launch.console_fd);
    stdio_parent(&m.stdio);
    if (m.detach)
        null_stdio();

    struct msg msg;
    int got = recv_msg(sv[0], &msg);
    waitpid(stage1, NULL, 0);
    if (got == 0 && msg.type == MSG_ERROR)
        return give_up(&m, 0, msg.op, msg.err, msg.detail);
    if (got < 0 || msg.type != MSG_PID)
        return give_up(&m, 0, -1, EPIPE, "setup process died");
    pid_t child = msg.pid;
    if (m.signals) {
        forward_to = child;
        struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
        for (uint32_t i = 0; i < m.signals->nints; i++)
            sigaction((int)m.signals->ints[i], &sa, NULL);
    }
    if (run_parent_ops(&m, child) < 0 || send_msg(sv[0], MSG_GO, 0, 0, 0, NULL) < 0)
        return give_up(&m, child, 0, 0, NULL); /* reported by run_parent_ops, or the child died */
    for (;;) {
        if (recv_msg(sv[0], &msg) < 0)
            break; /* EOF: execve closed the child's end (or the child died) */
        if (msg.type == MSG_READY) {
            java_say(&m, "pid %d", child);
        } else if (msg.type == MSG_HOOK) {
            char answer[16];
            java_say(&m, "hook %d %d", msg.op, child);
            int go = java_hear(&m, answer, sizeof answer) >= 0 && strcmp(answer, "go") == 0;
            send_msg(sv[0], go ? MSG_GO : MSG_ABORT, 0, 0, 0, NULL);
            if (!go)
                return give_up(&m, child, 0, 0, NULL); /* Java said why */
        } else if (msg.type == MSG_ERROR) {
            return give_up(&m, child, msg.op, msg.err, msg.detail);
        }
    }
    close(sv[0]);
    if (!m.wait_start) /* else "pid" was said at MSG_READY, which comes first */
        java_say(&m, "pid %d", child);
    java_say(&m, "exec");
    if (m.detach)
        close_fd(&m.java_fd);
    int code = wait_container(&m, child);
    close_fd(&m.java_fd);
    return code;
}
