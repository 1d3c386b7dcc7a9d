/* Decoding of the launch plan (format in plan.h). No policy: a malformed plan is a bug in Java. */
#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static unsigned char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fd, &st) == 0 && (buf = malloc(st.st_size + 1)) != NULL) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, buf + got, st.st_size - got);
            if (n <= 0) {
                free(buf);
                buf = NULL;
                break;
            }
            got += n;
        }
        *len = got;
    }
    close(fd);
    return buf;
}

int plan_load(const char *path, struct plan *out)
{
    size_t len = 0;
    unsigned char *buf = read_all(path, &len);
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
    free(buf);
    return 0;
bad:
    fprintf(stderr, "berth-shim: plan %s is malformed or of another version (want %d)\n", path, PLAN_VERSION);
    free(buf);
    return -1;
}

int plan_find(const struct plan *p, int code)
{
    for (uint32_t i = 0; i < p->count; i++)
        if (p->ops[i].code == code)
            return (int)i;
    return -1;
}
