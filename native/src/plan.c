/* Decoding of the launch plan (format in plan.h). No policy: a malformed plan is a bug in Java. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct reader {
    const unsigned char *p;
    size_t left;
};

static int take(struct reader *r, void *dst, size_t n)
{
    if (r->left < n)
        return -1;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

/* The plan file, mapped: every string is copied out of it, so it is unmapped after decoding. */
static unsigned char *map_file(const char *path, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0) {
        *len = st.st_size;
        p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    close_keeping_errno(fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

int plan_load(const char *path, struct plan *out)
{
    size_t len = 0;
    unsigned char *buf = map_file(path, &len);
    if (!buf) {
        fprintf(stderr, "berth-shim: read plan %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct reader r = { buf, len };
    char magic[4];
    uint32_t version;
    if (take(&r, magic, 4) || memcmp(magic, PLAN_MAGIC, 4) || take(&r, &version, 4)
        || version != PLAN_VERSION || take(&r, &out->count, 4))
        goto bad;
    out->ops = calloc(out->count, sizeof(struct op));
    if (!out->ops)
        goto bad;
    for (uint32_t i = 0; i < out->count; i++) {
        struct op *op = &out->ops[i];
        if (take(&r, &op->code, 2) || take(&r, &op->actor, 2) || take(&r, &op->nints, 4)
            || take(&r, &op->nstrs, 4) || op->nints > 4096 || op->nstrs > 65536)
            goto bad;
        op->ints = calloc(op->nints + 1, sizeof(int64_t));
        op->strs = calloc(op->nstrs + 1, sizeof(char *));
        op->lens = calloc(op->nstrs + 1, sizeof(uint32_t));
        if (!op->ints || !op->strs || !op->lens || take(&r, op->ints, op->nints * sizeof(int64_t)))
            goto bad;
        for (uint32_t s = 0; s < op->nstrs; s++) {
            if (take(&r, &op->lens[s], 4) || op->lens[s] > r.left)
                goto bad;
            op->strs[s] = malloc(op->lens[s] + 1);
            if (!op->strs[s] || take(&r, op->strs[s], op->lens[s]))
                goto bad;
            op->strs[s][op->lens[s]] = '\0';
        }
    }
    munmap(buf, len);
    return 0;
bad:
    fprintf(stderr, "berth-shim: plan %s is malformed or of another version (want %d)\n", path, PLAN_VERSION);
    munmap(buf, len);
    return -1;
}
