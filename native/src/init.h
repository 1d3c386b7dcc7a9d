/* Init mode, see init.c. */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

int run_init(char **argv);

#endif
