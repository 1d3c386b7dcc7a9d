/*
 * berth-shim: executes a launch plan written by the Java runtime, then stays as the container's
 * parent and monitor. Usage: berth-shim <plan-file>
 * Everything it does is in the plan; it decides nothing (see shared/DESIGN.md).
 * Also the containers' init: berth-shim -- program args... (see init.c).
 */
#include "shim.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--") == 0)
        return run_init(argv + 2);
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: berth-shim <plan-file> | berth-shim -- program args...\n(started by berth-runtime; not meant to be run by hand)\n");
        return 2;
    }
    struct plan plan;
    if (plan_load(argv[1], &plan) < 0)
        return 2;
    return run_monitor(&plan);
}
