/*
 * The shim's stdio mode (OP_STDIO), for containers run by the daemon: the container's stdout and
 * stderr (or its pty) come to the shim, which appends them to a log and relays them to attached
 * clients; attached clients may write to its stdin and resize its terminal. It outlives the
 * daemon, so logs and attach keep working across a daemon restart.
 *
 * Log file and attach stream use one record format (little-endian), one record per line:
 *   u8 stream (1 stdout, 2 stderr), u8 pad[3], u32 length, i64 realtime nanoseconds, bytes.
 * Clients send records of the same header with stream 0 (stdin bytes), 3 (close stdin) or
 * 4 (resize: u16 rows, u16 cols). When and to what names the log rotates is Java's choice, passed
 * in the op; the shim only renames.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct record {
    uint8_t stream;
    uint8_t pad[3];
    uint32_t length;
    int64_t nanos;
};

static int chld_pipe[2] = { -1, -1 };

static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno;
    ssize_t n = write(chld_pipe[1], "c", 1);
    (void)n;
    errno = saved;
}

static int open_log(struct stdio *s)
{
    struct stat st;
    s->log_fd = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    s->log_size = s->log_fd >= 0 && fstat(s->log_fd, &st) == 0 ? (size_t)st.st_size : 0;
    return s->log_fd;
}

int stdio_setup(struct stdio *s, const struct op *op, int *console_send)
{
    s->enabled = 1;
    s->open_stdin = (op->ints[0] & 1) != 0;
    s->tty = (op->ints[0] & 2) != 0;
    s->log_max = (long)op->ints[1];
    s->log_path = op->lens[0] ? op->strs[0] : NULL;
    s->attach_path = op->lens[1] ? op->strs[1] : NULL;
    s->rotations = op->strs + 2;
    s->nrotations = op->nstrs - 2;
    int pair[2], out[2], err[2], in[2] = { -1, -1 };
    if (s->tty) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
            return -1;
        s->console_recv = pair[0];
        *console_send = pair[1];
    } else {
        if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
            return -1;
        /* Without an open stdin the container reads /dev/null. */
        if (s->open_stdin ? pipe2(in, O_CLOEXEC) < 0 : (in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
            return -1;
        s->out_read = out[0], s->child_out = out[1];
        s->err_read = err[0], s->child_err = err[1];
        s->in_write = in[1], s->child_in = in[0];
    }
    if ((s->log_path && open_log(s) < 0) || (s->attach_path && (s->listen_fd = unix_socket(s->attach_path, 1)) < 0))
        return -1;
    if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP };
    return sigaction(SIGCHLD, &sa, NULL);
}

/* In STAGE1: the pipes become the container's stdio (clone passes them on). */
int stdio_child(struct stdio *s)
{
    if (s->tty)
        return 0;
    return dup2(s->child_in, 0) < 0 || dup2(s->child_out, 1) < 0 || dup2(s->child_err, 2) < 0 ? -1 : 0;
}

void stdio_parent(struct stdio *s)
{
    close_fd(&s->child_in);
    close_fd(&s->child_out);
    close_fd(&s->child_err);
}

/* The pty master the child sent over the console pair (SCM_RIGHTS, the terminal's name as the
 * payload), there since its OP_CONSOLE: the relay starts only after the child's execve. */
static void take_console(struct stdio *s)
{
    char name[64], ctrl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { name, sizeof name };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
    ssize_t n = TEMP_FAILURE_RETRY(recvmsg(s->console_recv, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT));
    struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
    if (c && c->cmsg_type == SCM_RIGHTS)
        memcpy(&s->master, CMSG_DATA(c), sizeof(int));
    close_fd(&s->console_recv);
}

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* log -> rotations[0] -> rotations[1] -> ...; what was under the last name is dropped. */
static void rotate(struct stdio *s)
{
    for (uint32_t i = s->nrotations - 1; i > 0; i--)
        rename(s->rotations[i - 1], s->rotations[i]);
    rename(s->log_path, s->rotations[0]);
    close(s->log_fd);
    open_log(s);
}

static void emit_record(struct stdio *s, int stream, const char *data, size_t len)
{
    struct record r = { .stream = (uint8_t)stream, .length = (uint32_t)len, .nanos = now_nanos() };
    if (s->log_fd >= 0) {
        if (s->log_max > 0 && s->nrotations > 0 && s->log_size + sizeof r + len > (size_t)s->log_max)
            rotate(s);
        if (s->log_fd >= 0 && write_all(s->log_fd, &r, sizeof r) == 0 && write_all(s->log_fd, data, len) == 0)
            s->log_size += sizeof r + len;
    }
    for (int i = 0; i < s->nclients; i++) {
        if (s->clients[i] < 0)
            continue;
        if (send(s->clients[i], &r, sizeof r, MSG_NOSIGNAL) != sizeof r
            || send(s->clients[i], data, len, MSG_NOSIGNAL) != (ssize_t)len)
            close_fd(&s->clients[i]);
    }
}

/* One record per line (a last partial line is a record too), as docker logs lines: the log can
 * rotate between them and every line gets its own time. */
static void emit(struct stdio *s, int stream, const char *data, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) + 1 : len;
        emit_record(s, stream, data, n);
        data += n, len -= n;
    }
}

/* One record from an attached client: stdin bytes, close stdin, or a resize. */
static int client_input(struct stdio *s, int fd)
{
    static char buf[1 << 20];
    struct record r;
    if (recv(fd, &r, sizeof r, MSG_WAITALL) != sizeof r || r.length > sizeof buf
        || (r.length && recv(fd, buf, r.length, MSG_WAITALL) != (ssize_t)r.length))
        return -1;
    int in = s->tty ? s->master : s->in_write;
    if (r.stream == 0 && in >= 0) {
        write_all(in, buf, r.length);
    } else if (r.stream == 3 && !s->tty) {
        close_fd(&s->in_write);
    } else if (r.stream == 3 && s->tty && s->master >= 0) {
        write_all(s->master, "\004", 1); /* EOF on a terminal is ^D */
    } else if (r.stream == 4 && s->tty && s->master >= 0 && r.length >= 4) {
        struct winsize ws = { 0 };
        memcpy(&ws.ws_row, buf, 2);
        memcpy(&ws.ws_col, buf + 2, 2);
        ioctl(s->master, TIOCSWINSZ, &ws);
    }
    return 0;
}

/*
 * Relays output until the container has exited and its output has ended; returns its wait
 * status. Orphans of the container are reaped on the way (we are their subreaper). After the
 * container's exit the pipes are drained for at most a second: a process that escaped the
 * container's death must not keep the shim alive.
 */
int stdio_loop(struct stdio *s, pid_t child)
{
    int status = 0, exited = 0;
    int64_t drain_until = 0;
    char buf[32768];
    if (s->tty)
        take_console(s);
    for (;;) {
        pid_t pid;
        int st;
        while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
            if (pid == child) {
                status = st;
                exited = 1;
                drain_until = now_nanos() + 1000000000LL;
            }
        int outs[2] = { s->tty ? s->master : s->out_read, s->tty ? -1 : s->err_read };
        if (exited && ((outs[0] < 0 && outs[1] < 0) || now_nanos() > drain_until))
            break;
        struct pollfd p[4 + MAX_CLIENTS] = { 0 }; /* a client accepted below has no events yet */
        int n = 0;
        p[n++] = (struct pollfd){ .fd = chld_pipe[0], .events = POLLIN };
        p[n++] = (struct pollfd){ .fd = outs[0], .events = POLLIN };
        p[n++] = (struct pollfd){ .fd = outs[1], .events = POLLIN };
        p[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
        for (int i = 0; i < s->nclients; i++)
            p[n++] = (struct pollfd){ .fd = s->clients[i], .events = POLLIN };
        if (poll(p, n, exited ? 50 : -1) < 0 && errno != EINTR)
            break;
        if (p[0].revents & POLLIN)
            while (read(chld_pipe[0], buf, sizeof buf) > 0)
                ;
        /* Clients first: one that connected before the container started (docker run attaches,
         * then starts) must see its very first output. */
        if (p[3].revents & POLLIN) {
            int c = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0 && s->nclients < MAX_CLIENTS)
                s->clients[s->nclients++] = c;
            else if (c >= 0)
                close(c);
        }
        for (int k = 1; k <= 2; k++) {
            if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = read(p[k].fd, buf, sizeof buf);
            if (got > 0) {
                emit(s, k, buf, got);
            } else if (got == 0 || errno != EINTR) {
                /* EOF, or EIO from a pty whose last slave closed */
                close_fd(s->tty ? &s->master : k == 1 ? &s->out_read : &s->err_read);
            }
        }
        /* Serve the clients, and keep those still connected. */
        int kept = 0;
        for (int i = 0; i < s->nclients; i++) {
            if (p[4 + i].revents & (POLLIN | POLLHUP | POLLERR) && client_input(s, s->clients[i]) < 0)
                close_fd(&s->clients[i]);
            if (s->clients[i] >= 0)
                s->clients[kept++] = s->clients[i];
        }
        s->nclients = kept;
    }
    if (!exited)
        waitpid(child, &status, 0);
    for (int i = 0; i < s->nclients; i++)
        close(s->clients[i]);
    if (s->attach_path)
        unlink(s->attach_path);
    return status;
}
