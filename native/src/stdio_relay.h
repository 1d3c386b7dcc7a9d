/* The shim's stdio mode: see stdio_relay.c. */
#ifndef BERTH_STDIO_RELAY_H
#define BERTH_STDIO_RELAY_H

#include <stddef.h>
#include <sys/types.h>

struct stdio {
    int enabled, tty, open_stdin;
    const char *log_path, *attach_path;
    long log_max, log_files;
    int log_fd, listen_fd;
    size_t log_size;
    int out_read, err_read, in_write;            /* the shim's ends */
    int child_in, child_out, child_err;          /* the container's ends, until the fork */
    int console_send, console_recv, master;      /* tty: the child sends its pty master here */
    int clients[32], nclients;
};

#define STDIO_INIT { .log_fd = -1, .listen_fd = -1, .out_read = -1, .err_read = -1, .in_write = -1, \
    .child_in = -1, .child_out = -1, .child_err = -1, .console_send = -1, .console_recv = -1, .master = -1 }

int stdio_prepare(struct stdio *s);
int stdio_child(struct stdio *s);
void stdio_parent(struct stdio *s);
int stdio_take_console(struct stdio *s);
int stdio_open_log_and_attach(struct stdio *s);
int stdio_loop(struct stdio *s, pid_t child);

#endif
