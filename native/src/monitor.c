/*
 * The MONITOR actor: the shim. It sets up its own fds, forks STAGE1 (which clones the container),
 * runs the PARENT ops for the container's pid, relays the child's reports to Java, and then stays
 * as the container's parent until it exits, recording how it ended. The handshake is drawn in
 * shim.h.
 */
#include "shim.h"
#include "stdio_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

struct monitor {
    struct launch launch;
    int java_fd;          /* the line-oriented channel to Java, -1 once Java has gone */
    const char *exit_file;
    const char *pid_file;
    int detach;
    int forward_signals;
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
    if (send(m->java_fd, line, n, MSG_NOSIGNAL) != n) {
        close(m->java_fd);
        m->java_fd = -1;
    }
}

/* Reads one line from Java; returns its length, or -1 if Java has gone. */
static int java_hear(struct monitor *m, char *buf, size_t size)
{
    size_t n = 0;
    while (m->java_fd >= 0 && n + 1 < size) {
        char c;
        ssize_t r = read(m->java_fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
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

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Copies fd `src` of process `pid` to our fd `dst` (for --preserve-fds: the JVM cannot pass
 * fds beyond stdio to a child, so the shim takes them from it). */
static int inherit_fd(pid_t pid, int src, int dst)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return -1;
    int fd = (int)syscall(SYS_pidfd_getfd, pidfd, src, 0);
    int err = errno;
    close(pidfd);
    if (fd < 0) {
        errno = err;
        return -1;
    }
    if (fd != dst) {
        if (dup2(fd, dst) < 0)
            return -1;
        close(fd);
    }
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
    /* Inherited fds first, so that nothing of ours is sitting on their numbers. */
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor != ACTOR_MONITOR || op->code != OP_INHERIT_FD)
            continue;
        if (inherit_fd((pid_t)op->ints[0], (int)op->ints[1], (int)op->ints[2]) < 0) {
            report_error(m, i, errno, "take preserved fd");
            return -1;
        }
        if (op->ints[2] >= m->fd_floor)
            m->fd_floor = (int)op->ints[2] + 1;
    }
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor != ACTOR_MONITOR)
            continue;
        switch (op->code) {
        case OP_SYNC_SOCKET:
            m->java_fd = lift(m, connect_unix(op->strs[0]));
            if (m->java_fd < 0) {
                report_error(m, i, errno, "connect to berth-runtime");
                return -1;
            }
            break;
        case OP_EXIT_FILE:
            m->exit_file = op->strs[0];
            break;
        case OP_PID_FILE:
            m->pid_file = op->strs[0];
            break;
        case OP_EXEC_FIFO:
            /* Read-write, so that opening never blocks and the child's read waits for data. */
            if (mkfifo(op->strs[0], 0600) < 0 && errno != EEXIST) {
                report_error(m, i, errno, "mkfifo");
                return -1;
            }
            m->launch.fifo_fd = lift(m, open(op->strs[0], O_RDWR | O_CLOEXEC));
            if (m->launch.fifo_fd < 0) {
                report_error(m, i, errno, "open exec fifo");
                return -1;
            }
            break;
        case OP_CONSOLE_SOCKET:
            m->launch.console_fd = lift(m, connect_unix(op->strs[0]));
            if (m->launch.console_fd < 0) {
                report_error(m, i, errno, "connect to console socket");
                return -1;
            }
            break;
        case OP_DETACH:
            m->detach = 1;
            break;
        case OP_FORWARD_SIGNALS:
            m->forward_signals = 1;
            break;
        case OP_STDIO:
            m->stdio.enabled = 1;
            m->stdio.open_stdin = (op->ints[0] & 1) != 0;
            m->stdio.tty = (op->ints[0] & 2) != 0;
            m->stdio.log_max = (long)op->ints[1];
            m->stdio.log_files = (long)op->ints[2];
            m->stdio.log_path = op->lens[0] ? op->strs[0] : NULL;
            m->stdio.attach_path = op->lens[1] ? op->strs[1] : NULL;
            if (stdio_prepare(&m->stdio) < 0 || stdio_open_log_and_attach(&m->stdio) < 0) {
                report_error(m, i, errno, "set up stdio");
                return -1;
            }
            if (m->stdio.tty)
                m->launch.console_fd = m->stdio.console_send;
            break;
        case OP_INHERIT_FD:
            break;
        default:
            report_error(m, i, EINVAL, "unknown monitor op");
            return -1;
        }
    }
    m->wait_start = plan_find(p, OP_WAIT_START) >= 0;
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
        int fd = open(file, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, content, len) != (ssize_t)len) {
            int err = errno;
            if (fd >= 0)
                close(fd);
            report_error(m, i, err, op->code == OP_WRITE_PROC ? "write /proc/<pid>/" : "write pid");
            return -1;
        }
        close(fd);
    }
    return 0;
}

static void write_atomically(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    ssize_t n = write(fd, text, strlen(text));
    fsync(fd);
    close(fd);
    if (n == (ssize_t)strlen(text))
        rename(tmp, path);
}

static void abandon(struct monitor *m, pid_t child)
{
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    if (m->java_fd >= 0)
        close(m->java_fd);
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
    if (m->exit_file) {
        char text[64];
        snprintf(text, sizeof text, "exit %d signal %d\n", code, sig);
        write_atomically(m->exit_file, text);
    }
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
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        report_error(&m, -1, errno, "socketpair");
        return 1;
    }
    sv[0] = lift(&m, sv[0]);
    sv[1] = lift(&m, sv[1]);
    pid_t stage1 = fork();
    if (stage1 < 0) {
        report_error(&m, -1, errno, "fork");
        return 1;
    }
    if (stage1 == 0) {
        close(sv[0]);
        if (m.java_fd >= 0)
            close(m.java_fd);
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
    if (m.launch.fifo_fd >= 0)
        close(m.launch.fifo_fd);
    if (m.launch.console_fd >= 0 && !m.stdio.tty)
        close(m.launch.console_fd);
    stdio_parent(&m.stdio);
    if (m.detach)
        null_stdio();

    struct msg msg;
    int got = recv_msg(sv[0], &msg);
    waitpid(stage1, NULL, 0);
    if (got < 0 || msg.type != MSG_PID) {
        if (got == 0 && msg.type == MSG_ERROR)
            report_error(&m, msg.op, msg.err, msg.detail);
        else
            report_error(&m, -1, EPIPE, "setup process died");
        abandon(&m, 0);
        return 1;
    }
    pid_t child = msg.pid;
    if (m.forward_signals) {
        forward_to = child;
        struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
        struct op *fw = &plan->ops[plan_find(plan, OP_FORWARD_SIGNALS)];
        for (uint32_t i = 0; i < fw->nints; i++)
            sigaction((int)fw->ints[i], &sa, NULL);
    }
    if (run_parent_ops(&m, child) < 0 || send_msg(sv[0], MSG_GO, 0, 0, 0, NULL) < 0) {
        abandon(&m, child);
        return 1;
    }
    int ready = 0;
    for (;;) {
        if (recv_msg(sv[0], &msg) < 0)
            break; /* EOF: execve closed the child's end (or the child died) */
        if (msg.type == MSG_READY) {
            ready = 1;
            stdio_take_console(&m.stdio);
            if (m.pid_file) {
                char text[32];
                snprintf(text, sizeof text, "%d", child);
                write_atomically(m.pid_file, text);
            }
            java_say(&m, "pid %d", child);
        } else if (msg.type == MSG_HOOK) {
            char answer[16];
            java_say(&m, "hook %d %d", msg.op, child);
            int go = java_hear(&m, answer, sizeof answer) >= 0 && strcmp(answer, "go") == 0;
            send_msg(sv[0], go ? MSG_GO : MSG_ABORT, 0, 0, 0, NULL);
            if (!go) {
                abandon(&m, child);
                return 1;
            }
        } else if (msg.type == MSG_ERROR) {
            report_error(&m, msg.op, msg.err, msg.detail);
            abandon(&m, child);
            return 1;
        }
    }
    close(sv[0]);
    if (!ready)
        stdio_take_console(&m.stdio);
    if (!m.wait_start && !ready)
        java_say(&m, "pid %d", child);
    java_say(&m, "exec");
    if (m.java_fd >= 0 && m.detach) {
        close(m.java_fd);
        m.java_fd = -1;
    }
    int code = wait_container(&m, child);
    if (m.java_fd >= 0)
        close(m.java_fd);
    return code;
}
