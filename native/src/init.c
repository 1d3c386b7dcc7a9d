/*
 * Init mode: `berth-shim -- program args...` as PID 1 of a container (docker run --init). It
 * starts the program as its child, passes every catchable signal on to it, reaps every orphan
 * that the kernel re-parents to PID 1, and exits with the program's status (128+signal if it
 * was killed). A shell or server that never expected to be PID 1 then neither leaks zombies nor
 * ignores SIGTERM (PID 1 gets no default signal actions).
 */
#include "shim.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int run_init(char **argv)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t child = fork();
    if (child < 0) {
        perror("berth-init: fork");
        return 126;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        /* A process group of its own, so that terminal signals reach the program. */
        setpgid(0, 0);
        execvp(argv[0], argv);
        fprintf(stderr, "berth-init: exec %s: %s\n", argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    for (;;) {
        int sig = sigwaitinfo(&all, NULL);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            if (pid == child)
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}
