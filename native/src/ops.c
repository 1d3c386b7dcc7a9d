/*
 * The STAGE1 and CHILD actors: each op is one or two system calls. Every failure is sent to the
 * monitor as (op index, errno, which call) and the process exits; nothing is decided here.
 * First, the fd and message helpers every actor (and the monitor) shares.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int send_msg(int fd, int type, int op, int err, int pid, const char *detail)
{
    struct msg m = { .type = type, .op = op, .err = err, .pid = pid };
    if (detail)
        snprintf(m.detail, sizeof m.detail, "%s", detail);
    return send(fd, &m, sizeof m, MSG_NOSIGNAL) == sizeof m ? 0 : -1;
}

int recv_msg(int fd, struct msg *m)
{
    return TEMP_FAILURE_RETRY(recv(fd, m, sizeof *m, 0)) == sizeof *m ? 0 : -1;
}

int close_keeping_errno(int fd, int rc)
{
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int write_all(int fd, const void *buf, size_t len)
{
    for (const char *p = buf; len > 0;) {
        ssize_t n = TEMP_FAILURE_RETRY(write(fd, p, len));
        if (n <= 0)
            return -1;
        p += n, len -= n;
    }
    return 0;
}

int write_file(const char *path, const char *content, size_t len)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    return close_keeping_errno(fd, write_all(fd, content, len));
}

/* A listening socket is bound under a temporary name in the same directory and renamed into
 * place once it listens: its path appears only when connecting to it works (a client waiting
 * for it never meets ECONNREFUSED), and it replaces a dead shim's socket in one step. */
int unix_socket(const char *path, int listening)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (snprintf(sa.sun_path, sizeof sa.sun_path, listening ? "%s.tmp" : "%s", path) >= (int)sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (!listening)
        return connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ? close_keeping_errno(fd, -1) : fd;
    unlink(sa.sun_path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && chmod(sa.sun_path, 0600) == 0 && listen(fd, 16) == 0
        && rename(sa.sun_path, path) == 0)
        return fd;
    int err = errno;
    unlink(sa.sun_path);
    close(fd);
    errno = err;
    return -1;
}

/* Reports the failure of op `index` and ends this process. */
static void __attribute__((noreturn)) fail(struct launch *l, int index, const char *what)
{
    send_msg(l->sync_fd, MSG_ERROR, index, errno, 0, what);
    _exit(1);
}

static int open_in_root(struct launch *l, const char *path, int flags)
{
    struct open_how how = { .flags = flags | O_CLOEXEC, .mode = (flags & O_CREAT) ? 0644 : 0,
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    return (int)syscall(SYS_openat2, l->root_fd, path, &how, sizeof how);
}

/* Splits "a/b/c" into the parent "a/b" (opened beneath the root) and the name "c". */
static int open_parent_in_root(struct launch *l, const char *path, char *name, size_t name_size)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    char *slash = strrchr(buf, '/');
    const char *base = slash ? slash + 1 : buf;
    snprintf(name, name_size, "%s", base);
    if (slash)
        *slash = '\0';
    const char *dir = (slash && buf[0]) ? buf : "/";
    return open_in_root(l, dir, O_PATH | O_DIRECTORY);
}

/* mkdir -p beneath the root (the last component a file when last_is_file); symlinks met on the
 * way resolve inside it (RESOLVE_IN_ROOT). */
static int mkdirs_in_root(struct launch *l, const char *path, mode_t mode, int last_is_file)
{
    char buf[4096], name[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        int end = (*p == '\0');
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        int file = end && last_is_file;
        int fd = open_in_root(l, buf, file ? O_PATH : O_PATH | O_DIRECTORY);
        if (fd < 0 && file) {
            /* Created through openat2 too: a dangling symlink in the image resolves inside the
             * root. A plain openat(O_CREAT) would follow an absolute one out onto the host. */
            if ((fd = open_in_root(l, buf, O_CREAT | O_WRONLY)) < 0)
                return -1;
        } else if (fd < 0) {
            /* mkdirat never follows a symlink in the last component */
            int parent = open_parent_in_root(l, buf, name, sizeof name);
            if (parent < 0 || (close_keeping_errno(parent, mkdirat(parent, name, mode)) < 0 && errno != EEXIST))
                return -1;
        }
        if (fd >= 0)
            close(fd);
        if (end)
            return 0;
        *p = '/';
    }
}

static unsigned long locked_flags(struct launch *l, const char *target, int in_root)
{
    struct statfs sf;
    int fd = in_root ? open_in_root(l, target, O_PATH) : open(target, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return (unsigned long)-1;
    if (close_keeping_errno(fd, fstatfs(fd, &sf)) < 0)
        return (unsigned long)-1;
    static const struct { unsigned long st, ms; } map[] = {
        { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
        { ST_RDONLY, MS_RDONLY }, { ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
        { ST_RELATIME, MS_RELATIME },
    };
    unsigned long flags = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (sf.f_flags & map[i].st)
            flags |= map[i].ms;
    return flags;
}

static int do_mount(struct launch *l, struct op *op)
{
    const char *source = op->lens[0] ? op->strs[0] : NULL;
    const char *fstype = op->lens[2] ? op->strs[2] : NULL;
    const char *data = op->lens[3] ? op->strs[3] : NULL;
    unsigned long flags = (unsigned long)op->ints[0];
    if (op->ints[3] && (flags |= locked_flags(l, op->strs[1], op->ints[1])) == (unsigned long)-1)
        return -1;
    if (!op->ints[1])
        return mount(source, op->strs[1], fstype, flags, data);
    /* Mount onto the fd's magic link: the target was resolved beneath the root, so a symlink
     * in the image cannot redirect the mount onto the host (CVE-2021-30465). */
    int fd = open_in_root(l, op->strs[1], O_PATH);
    if (fd < 0)
        return -1;
    char target[64];
    snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
    return close_keeping_errno(fd, mount(source, target, fstype, flags, data));
}

static int do_mknod(struct launch *l, struct op *op)
{
    char name[256];
    int dir = open_parent_in_root(l, op->strs[0], name, sizeof name);
    if (dir < 0)
        return -1;
    unlinkat(dir, name, 0);
    int rc = mknodat(dir, name, (mode_t)op->ints[0], makedev(op->ints[1], op->ints[2]));
    if (rc == 0)
        rc = fchownat(dir, name, (uid_t)op->ints[3], (gid_t)op->ints[4], AT_SYMLINK_NOFOLLOW);
    return close_keeping_errno(dir, rc);
}

static int do_symlink(struct launch *l, struct op *op)
{
    char name[256];
    int dir = open_parent_in_root(l, op->strs[1], name, sizeof name);
    if (dir < 0)
        return -1;
    int rc = close_keeping_errno(dir, symlinkat(op->strs[0], dir, name));
    return (rc < 0 && errno == EEXIST) ? 0 : rc;
}

/* pivot_root(".", "."): the old root ends up stacked under the new one and is detached at once.
 * See pivot_root(2), "pivot_root(".", ".")". */
static int do_pivot_root(const char *rootfs, const char **what)
{
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    int rc = -1;
    if (oldroot < 0 || newroot < 0) {
        *what = "open";
    } else if (fchdir(newroot) < 0) {
        *what = "chdir";
    } else if (syscall(SYS_pivot_root, ".", ".") < 0) {
        *what = "pivot_root";
    } else if (fchdir(oldroot) < 0) {
        *what = "chdir old root";
    } else if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
        *what = "make old root rslave";
    } else if (umount2(".", MNT_DETACH) < 0) {
        *what = "umount old root";
    } else if (chdir("/") < 0) {
        *what = "chdir /";
    } else {
        rc = 0;
    }
    close_keeping_errno(oldroot, rc);
    return close_keeping_errno(newroot, rc);
}

static int do_move_root(const char *rootfs, const char **what)
{
    *what = "chdir";
    if (chdir(rootfs) < 0)
        return -1;
    *what = "mount MS_MOVE";
    if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
        return -1;
    *what = "chroot";
    if (chroot(".") < 0)
        return -1;
    *what = "chdir /";
    return chdir("/");
}

static int do_capset(struct op *op)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)((uint64_t)op->ints[0] >> (32 * i));
        data[i].permitted = (uint32_t)((uint64_t)op->ints[1] >> (32 * i));
        data[i].inheritable = (uint32_t)((uint64_t)op->ints[2] >> (32 * i));
    }
    return (int)syscall(SYS_capset, &hdr, data);
}

/* Opens a pty inside the container's devpts, sends its master over the console socket (as runc
 * does: SCM_RIGHTS, with the terminal's name as the payload) and makes the slave our stdio and
 * controlling terminal. */
static int do_console(struct launch *l, struct op *op, const char **what)
{
    *what = "open /dev/ptmx";
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return -1;
    int unlock = 0, n = 0;
    *what = "unlock pty";
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
        return -1;
    char name[64];
    snprintf(name, sizeof name, "/dev/pts/%d", n);
    *what = "open pty slave";
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0)
        return -1;
    if (op->ints[0] > 0 && op->ints[1] > 0) {
        struct winsize ws = { .ws_row = (unsigned short)op->ints[0], .ws_col = (unsigned short)op->ints[1] };
        ioctl(slave, TIOCSWINSZ, &ws);
    }
    if (l->console_fd >= 0) {
        char ctrl[CMSG_SPACE(sizeof(int))] = { 0 };
        struct iovec iov = { name, strlen(name) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &master, sizeof(int));
        *what = "send pty master to console socket";
        if (sendmsg(l->console_fd, &mh, MSG_NOSIGNAL) < 0)
            return -1;
        close_fd(&l->console_fd);
    }
    close(master);
    *what = "setsid";
    if (setsid() < 0 && errno != EPERM)
        return -1;
    *what = "TIOCSCTTY";
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        return -1;
    *what = "dup2 pty";
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            return -1;
    if (slave > 2)
        close(slave);
    return 0;
}

/* Finds the program of an OP_LOOKUP/OP_EXEC op: a path as given, else the first executable
 * regular file along the container's PATH (not ours). */
static int lookup(struct op *op, char *out, size_t size)
{
    const char *file = op->strs[1];
    if (strchr(file, '/')) {
        /* as execve will: a missing or unreachable path, or one not executable, fails here */
        snprintf(out, size, "%s", file);
        return access(out, X_OK);
    }
    int saw_eacces = 0;
    for (char *dir = op->strs[0], *end; dir; dir = end ? end + 1 : NULL) {
        struct stat st;
        end = strchr(dir, ':');
        int dlen = end ? (int)(end - dir) : (int)strlen(dir);
        snprintf(out, size, "%.*s/%s", dlen, dlen ? dir : ".", file);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(out, X_OK) == 0)
                return 0;
            saw_eacces = 1;
        }
    }
    errno = saw_eacces ? EACCES : ENOENT;
    return -1;
}

static char program[4096];

static void __attribute__((noreturn)) do_exec(struct launch *l, int index, struct op *op)
{
    int argc = (int)op->ints[0];
    /* env runs to the end of the op's strings, which end with a NULL (plan.h) */
    char **envp = op->strs + 1 + argc;
    char **argv = calloc(argc + 1, sizeof(char *));
    memcpy(argv, op->strs + 1, argc * sizeof(char *));
    if (!program[0] && lookup(op, program, sizeof program) < 0)
        fail(l, index, "exec");
    execve(program, argv, envp);
    fail(l, index, "exec");
}

int run_stage1(struct launch *l)
{
    struct plan *p = l->plan;
    /* Open every namespace first: once we are in the container's mount namespace, /proc is
     * the container's and the host pid in the paths no longer resolves. */
    int *fds = calloc(p->count, sizeof(int));
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor == ACTOR_STAGE1 && op->code == OP_SETNS
            && (fds[i] = open(op->strs[0], O_RDONLY | O_CLOEXEC)) < 0)
            fail(l, i, "open");
    }
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor != ACTOR_STAGE1)
            continue;
        if (op->code == OP_SETNS) {
            if (setns(fds[i], (int)op->ints[0]) < 0)
                fail(l, i, "setns");
            close(fds[i]);
        } else if (op->code == OP_CLONE) {
            /* A raw clone with fork semantics: no stack needed, child starts here. */
            pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)op->ints[0] | SIGCHLD, NULL, NULL, NULL, 0);
            if (pid < 0)
                fail(l, i, "clone");
            if (pid == 0)
                return 0;
            send_msg(l->sync_fd, MSG_PID, i, 0, pid, NULL);
            _exit(0);
        }
    }
    errno = EINVAL;
    fail(l, p->count, "plan has no clone");
}

/* Blocks until the monitor says go; ends the process on abort or a broken channel. */
static void wait_go(struct launch *l)
{
    struct msg m;
    if (recv_msg(l->sync_fd, &m) < 0 || m.type != MSG_GO)
        _exit(1);
}

void run_child(struct launch *l)
{
    struct plan *p = l->plan;
    wait_go(l);
    for (uint32_t i = 0; i < p->count; i++) {
        struct op *op = &p->ops[i];
        if (op->actor != ACTOR_CHILD)
            continue;
        const char *what = NULL;
        int rc = 0;
        switch (op->code) {
        case OP_UNSHARE:
            what = "unshare", rc = unshare((int)op->ints[0]);
            break;
        case OP_WRITE_FILE:
            what = "write", rc = write_file(op->strs[0], op->strs[1], op->lens[1]);
            if (rc < 0 && errno == ENOENT && op->ints[0])
                rc = 0;
            break;
        case OP_MOUNT:
            what = "mount", rc = do_mount(l, op);
            if (rc < 0 && errno == ENOENT && op->ints[2])
                rc = 0;
            break;
        case OP_ROOT:
            close_fd(&l->root_fd);
            what = "open root", rc = l->root_fd = open(op->strs[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
            break;
        case OP_MKDIRS:
            what = "mkdir", rc = mkdirs_in_root(l, op->strs[0], (mode_t)op->ints[0], (int)op->ints[1]);
            break;
        case OP_MKNOD:
            what = "mknod", rc = do_mknod(l, op);
            break;
        case OP_SYMLINK:
            what = "symlink", rc = do_symlink(l, op);
            break;
        case OP_PIVOT_ROOT:
            rc = do_pivot_root(op->strs[0], &what);
            break;
        case OP_MOVE_ROOT:
            rc = do_move_root(op->strs[0], &what);
            break;
        case OP_SETHOSTNAME:
            what = "sethostname", rc = sethostname(op->strs[0], op->lens[0]);
            break;
        case OP_SETDOMAINNAME:
            what = "setdomainname", rc = setdomainname(op->strs[0], op->lens[0]);
            break;
        case OP_RLIMIT: {
            struct rlimit rl = { (rlim_t)op->ints[1], (rlim_t)op->ints[2] };
            what = "setrlimit", rc = setrlimit((int)op->ints[0], &rl);
            break;
        }
        case OP_CHDIR:
            what = "chdir", rc = chdir(op->strs[0]);
            break;
        case OP_SETGROUPS: {
            gid_t gids[4096];
            for (uint32_t g = 0; g < op->nints; g++)
                gids[g] = (gid_t)op->ints[g];
            what = "setgroups", rc = setgroups(op->nints, gids);
            break;
        }
        case OP_SETRESGID:
            what = "setresgid", rc = setresgid((gid_t)op->ints[0], (gid_t)op->ints[0], (gid_t)op->ints[0]);
            break;
        case OP_SETRESUID:
            what = "setresuid", rc = setresuid((uid_t)op->ints[0], (uid_t)op->ints[0], (uid_t)op->ints[0]);
            break;
        case OP_KEEPCAPS:
            what = "prctl PR_SET_KEEPCAPS", rc = prctl(PR_SET_KEEPCAPS, op->ints[0], 0, 0, 0);
            break;
        case OP_CAPBSET_DROP:
            what = "prctl PR_CAPBSET_DROP";
            for (uint32_t c = 0; c < op->nints && rc == 0; c++)
                rc = prctl(PR_CAPBSET_DROP, op->ints[c], 0, 0, 0);
            break;
        case OP_CAPSET:
            what = "capset", rc = do_capset(op);
            break;
        case OP_AMBIENT_RAISE:
            what = "prctl PR_CAP_AMBIENT_RAISE";
            for (uint32_t c = 0; c < op->nints && rc == 0; c++)
                rc = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, op->ints[c], 0, 0);
            break;
        case OP_NO_NEW_PRIVS:
            what = "prctl PR_SET_NO_NEW_PRIVS", rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            break;
        case OP_SECCOMP: {
            struct sock_fprog prog = { (unsigned short)(op->lens[0] / sizeof(struct sock_filter)),
                                       (struct sock_filter *)op->strs[0] };
            what = "seccomp", rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)op->ints[0], &prog);
            break;
        }
        case OP_UMASK:
            umask((mode_t)op->ints[0]);
            break;
        case OP_CONSOLE:
            rc = do_console(l, op, &what);
            break;
        case OP_CLOSE_FROM:
            what = "close_range", rc = (int)syscall(SYS_close_range, (unsigned)op->ints[0], ~0U, CLOSE_RANGE_CLOEXEC);
            break;
        case OP_HOOK_POINT:
            send_msg(l->sync_fd, MSG_HOOK, i, 0, 0, NULL);
            wait_go(l);
            break;
        case OP_WAIT_START: {
            send_msg(l->sync_fd, MSG_READY, i, 0, 0, NULL);
            char byte;
            if (TEMP_FAILURE_RETRY(read(l->fifo_fd, &byte, 1)) != 1)
                _exit(1);
            close(l->fifo_fd);
            break;
        }
        case OP_EXEC:
            do_exec(l, i, op);
            break;
        case OP_LOOKUP:
            what = "exec", rc = lookup(op, program, sizeof program);
            break;
        default:
            errno = EINVAL;
            fail(l, i, "unknown op");
        }
        if (rc < 0)
            fail(l, i, what);
    }
    errno = EINVAL;
    fail(l, p->count, "plan has no exec");
}
