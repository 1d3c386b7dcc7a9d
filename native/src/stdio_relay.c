/*
 * The shim's stdio mode (OP_STDIO), for containers run by the daemon: the container's stdout and
 * stderr (or its pty) come to the shim, which appends them to a log and relays them to attached
 * clients; attached clients may write to its stdin and resize its terminal. It outlives the
 * daemon, so logs and attach keep working across a daemon restart.
 *
 * Log file and attach stream use one record format (little-endian), one record per line:
 *   u8 stream (1 stdout, 2 stderr), u8 pad[3], u32 length, i64 realtime nanoseconds, bytes.
 * Clients send records of the same header with stream 0 (stdin bytes), 3 (close stdin) or
 * 4 (resize: u16 rows, u16 cols). Rotation sizes are Java's choice, passed in the op.
 */
#include "stdio_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 32

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

int stdio_prepare(struct stdio *s)
{
    if (s->tty) {
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
            return -1;
        s->console_recv = pair[0];
        s->console_send = pair[1];
        return 0;
    }
    int out[2], err[2], in[2] = { -1, -1 };
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || (s->open_stdin && pipe2(in, O_CLOEXEC) < 0))
        return -1;
    s->out_read = out[0], s->child_out = out[1];
    s->err_read = err[0], s->child_err = err[1];
    s->in_write = in[1], s->child_in = in[0];
    return 0;
}

/* In STAGE1: the pipes become the container's stdio (clone passes them on). */
int stdio_child(struct stdio *s)
{
    if (s->tty)
        return 0;
    int null = -1;
    if (s->child_in < 0 && (null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    if (dup2(s->child_in >= 0 ? s->child_in : null, 0) < 0 || dup2(s->child_out, 1) < 0 || dup2(s->child_err, 2) < 0)
        return -1;
    return 0;
}

/* In the monitor after the fork: drop the child's ends. */
void stdio_parent(struct stdio *s)
{
    int *ends[] = { &s->child_in, &s->child_out, &s->child_err, &s->console_send };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (*ends[i] >= 0) {
            close(*ends[i]);
            *ends[i] = -1;
        }
}

/* The pty master the child sent over the console pair (SCM_RIGHTS), once it is ready. */
int stdio_take_console(struct stdio *s)
{
    if (!s->tty || s->console_recv < 0)
        return 0;
    char name[64], ctrl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { name, sizeof name };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
    ssize_t n;
    do
        n = recvmsg(s->console_recv, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
    if (!c || c->cmsg_type != SCM_RIGHTS)
        return -1;
    memcpy(&s->master, CMSG_DATA(c), sizeof(int));
    close(s->console_recv);
    s->console_recv = -1;
    return 0;
}

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n, len -= n;
    }
    return 0;
}

/* log -> log.1 -> ... -> log.<files-1>; the oldest is dropped. */
static void rotate(struct stdio *s)
{
    char from[4200], to[4200];
    for (long i = s->log_files - 1; i >= 1; i--) {
        snprintf(from, sizeof from, i == 1 ? "%s" : "%s.%ld", s->log_path, i - 1);
        snprintf(to, sizeof to, "%s.%ld", s->log_path, i);
        rename(from, to);
    }
    close(s->log_fd);
    s->log_fd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
    s->log_size = 0;
}

static void emit_record(struct stdio *s, int stream, const char *data, size_t len)
{
    struct record r = { .stream = (uint8_t)stream, .length = (uint32_t)len, .nanos = now_nanos() };
    if (s->log_fd >= 0) {
        if (s->log_max > 0 && s->log_files > 1 && s->log_size + sizeof r + len > (size_t)s->log_max)
            rotate(s);
        if (s->log_fd >= 0 && write_all(s->log_fd, &r, sizeof r) == 0 && write_all(s->log_fd, data, len) == 0)
            s->log_size += sizeof r + len;
    }
    for (int i = 0; i < s->nclients; i++) {
        if (s->clients[i] < 0)
            continue;
        if (send(s->clients[i], &r, sizeof r, MSG_NOSIGNAL) != sizeof r
            || send(s->clients[i], data, len, MSG_NOSIGNAL) != (ssize_t)len) {
            close(s->clients[i]);
            s->clients[i] = -1;
        }
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

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* One record from an attached client: stdin bytes, close stdin, or a resize. */
static int client_input(struct stdio *s, int fd)
{
    struct record r;
    if (recv(fd, &r, sizeof r, MSG_WAITALL) != sizeof r || r.length > 1 << 20)
        return -1;
    char *buf = malloc(r.length + 1);
    if (!buf || (r.length && recv(fd, buf, r.length, MSG_WAITALL) != (ssize_t)r.length)) {
        free(buf);
        return -1;
    }
    int in = s->tty ? s->master : s->in_write;
    if (r.stream == 0 && in >= 0) {
        write_all(in, buf, r.length);
    } else if (r.stream == 3 && !s->tty && s->in_write >= 0) {
        close(s->in_write);
        s->in_write = -1;
    } else if (r.stream == 3 && s->tty && s->master >= 0) {
        write_all(s->master, "\004", 1); /* EOF on a terminal is ^D */
    } else if (r.stream == 4 && s->tty && s->master >= 0 && r.length >= 4) {
        struct winsize ws = { 0 };
        memcpy(&ws.ws_row, buf, 2);
        memcpy(&ws.ws_col, buf + 2, 2);
        ioctl(s->master, TIOCSWINSZ, &ws);
    }
    free(buf);
    return 0;
}

int stdio_open_log_and_attach(struct stdio *s)
{
    if (s->log_path && (s->log_fd = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) < 0)
        return -1;
    if (s->log_fd >= 0) {
        struct stat st;
        s->log_size = fstat(s->log_fd, &st) == 0 ? st.st_size : 0;
    }
    if (s->attach_path && (s->listen_fd = listen_unix(s->attach_path)) < 0)
        return -1;
    if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP };
    return sigaction(SIGCHLD, &sa, NULL);
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
        struct pollfd p[4 + MAX_CLIENTS];
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
                close(p[k].fd);
                if (s->tty)
                    s->master = -1;
                else if (k == 1)
                    s->out_read = -1;
                else
                    s->err_read = -1;
            }
        }
        for (int i = 0; i < s->nclients; i++)
            if (p[4 + i].revents & (POLLIN | POLLHUP | POLLERR) && client_input(s, s->clients[i]) < 0) {
                close(s->clients[i]);
                s->clients[i] = -1;
            }
        int kept = 0;
        for (int i = 0; i < s->nclients; i++)
            if (s->clients[i] >= 0)
                s->clients[kept++] = s->clients[i];
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
