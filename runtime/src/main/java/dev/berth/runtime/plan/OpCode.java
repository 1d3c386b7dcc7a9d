package dev.berth.runtime.plan;

/** Op codes of the launch plan; the numbers and arguments are defined in native/src/plan.h. */
public enum OpCode {
    SYNC_SOCKET(1, Actor.MONITOR), EXIT_FILE(2, Actor.MONITOR),
    EXEC_FIFO(4, Actor.MONITOR), CONSOLE_SOCKET(5, Actor.MONITOR), INHERIT_FD(6, Actor.MONITOR),
    DETACH(7, Actor.MONITOR), FORWARD_SIGNALS(8, Actor.MONITOR), STDIO(10, Actor.MONITOR),
    SETNS(20, Actor.STAGE1), CLONE(21, Actor.STAGE1),
    WRITE_PID(30, Actor.PARENT), WRITE_PROC(31, Actor.PARENT),
    UNSHARE(40, Actor.CHILD), WRITE_FILE(41, Actor.CHILD), MOUNT(42, Actor.CHILD), ROOT(43, Actor.CHILD),
    MKDIRS(44, Actor.CHILD), MKNOD(45, Actor.CHILD), SYMLINK(46, Actor.CHILD), PIVOT_ROOT(47, Actor.CHILD),
    MOVE_ROOT(48, Actor.CHILD), SETHOSTNAME(49, Actor.CHILD), SETDOMAINNAME(50, Actor.CHILD),
    RLIMIT(51, Actor.CHILD), CHDIR(52, Actor.CHILD), SETGROUPS(53, Actor.CHILD), SETRESGID(54, Actor.CHILD),
    SETRESUID(55, Actor.CHILD), KEEPCAPS(56, Actor.CHILD), CAPBSET_DROP(57, Actor.CHILD), CAPSET(58, Actor.CHILD),
    AMBIENT_RAISE(59, Actor.CHILD), NO_NEW_PRIVS(60, Actor.CHILD), SECCOMP(61, Actor.CHILD), UMASK(62, Actor.CHILD),
    CONSOLE(65, Actor.CHILD), CLOSE_FROM(66, Actor.CHILD),
    HOOK_POINT(67, Actor.CHILD), WAIT_START(68, Actor.CHILD), EXEC(69, Actor.CHILD), LOOKUP(71, Actor.CHILD);

    public final int code;
    public final Actor actor;

    OpCode(int code, Actor actor) {
        this.code = code;
        this.actor = actor;
    }
}
