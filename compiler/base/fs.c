#include "fs.h"

#include "arena.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum fs_result fs_read_fd(struct arena *a, int fd, size_t limit, char **data,
                          size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            strbuf_release(&sb);
            return FS_FAILED;
        }
        if (n == 0)
            break;
        if (sb.len + (size_t)n > limit) {
            strbuf_release(&sb);
            return FS_TOO_LARGE;
        }
        strbuf_add(&sb, buf, (size_t)n);
    }
    *data = arena_strndup(a, sb.buf, sb.len);
    *len = sb.len;
    strbuf_release(&sb);
    return FS_OK;
}

enum fs_result fs_read(struct arena *a, const char *path, size_t limit,
                       char **data, size_t *len)
{
    enum fs_result r;
    struct stat st;
    int fd;

    if (strcmp(path, "-") == 0)
        return fs_read_fd(a, 0, limit, data, len);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return FS_FAILED;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return FS_FAILED;
    }
    {
        if (S_ISDIR(st.st_mode)) {
            close(fd);
            errno = EISDIR;
            return FS_FAILED;
        }
        if (S_ISREG(st.st_mode) && (size_t)st.st_size > limit) {
            close(fd);
            return FS_TOO_LARGE;
        }
    }
    if (S_ISREG(st.st_mode)) {
        /* The size is known: read straight into the arena, no copies. */
        size_t want = (size_t)st.st_size, got = 0;
        char *buf = arena_alloc(a, want + 1, 1);
        while (got < want) {
            ssize_t n = read(fd, buf + got, want - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        close(fd);
        if (got != want) {
            errno = EIO; /* the file changed size under us */
            return FS_FAILED;
        }
        buf[want] = '\0';
        *data = buf;
        *len = want;
        return FS_OK;
    }
    r = fs_read_fd(a, fd, limit, data, len);
    close(fd);
    return r;
}

bool fs_is_dir(const char *path)
{
    struct stat st;

    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void list_push(struct arena *a, struct fs_list *l, char *path)
{
    ARENA_GROW(a, char *, l->v, l->n, l->cap, 64);
    l->v[l->n++] = path;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth-bounded so that a symlink loop cannot recurse forever.  rel is
 * the walked directory's path below the root ("" for the root). */
static bool walk(struct arena *a, const char *dir, const char *rel, unsigned depth,
                 const struct fs_filter *f, struct fs_list *out, const char **bad)
{
    struct fs_list names = {0};
    struct dirent *e;
    DIR *d;
    size_t i, dl = strlen(dir);

    if (depth > 32) {
        errno = ELOOP;
        *bad = arena_strdup(a, dir);
        return false;
    }
    d = opendir(dir);
    if (!d) {
        *bad = arena_strdup(a, dir);
        return false;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as editor swap */
        list_push(a, &names, arena_strdup(a, e->d_name));
    }
    closedir(d);
    if (names.n) /* an empty directory has no array: qsort(NULL, 0) is undefined */
        qsort(names.v, names.n, sizeof(*names.v), cmp_names);
    for (i = 0; i < names.n; i++) {
        char *path = arena_printf(a, "%s%s%s", dir,
                                  dl && dir[dl - 1] == '/' ? "" : "/", names.v[i]);
        char *sub = *rel ? arena_printf(a, "%s/%s", rel, names.v[i]) : names.v[i];
        struct stat st;

        if (stat(path, &st) != 0) {
            *bad = path;
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            if (f->take(sub, true, f->ctx) && !walk(a, path, sub, depth + 1, f, out, bad))
                return false;
        } else if (S_ISREG(st.st_mode) && f->take(sub, false, f->ctx)) {
            list_push(a, out, path);
        }
    }
    return true;
}

bool fs_list_tree(struct arena *a, const char *dir, const struct fs_filter *f,
                  struct fs_list *out, const char **bad)
{
    return walk(a, dir, "", 0, f, out, bad);
}

bool fs_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

bool fs_write_atomic(const char *path, const void *data, size_t len,
                     mode_t mode)
{
    struct strbuf tmp = STRBUF_INIT;
    bool ok = false;
    int fd;

    strbuf_addf(&tmp, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp.buf);
    if (fd < 0)
        goto out;
    if (fchmod(fd, mode) != 0 || !fs_write_all(fd, data, len) || fsync(fd) != 0) {
        close(fd);
        unlink(tmp.buf);
        goto out;
    }
    if (close(fd) != 0 || rename(tmp.buf, path) != 0) {
        unlink(tmp.buf);
        goto out;
    }
    ok = true;
out:
    strbuf_release(&tmp);
    return ok;
}

static int remove_entry(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        struct strbuf child = STRBUF_INIT;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        strbuf_addf(&child, "%s/%s", path, e->d_name);
        if (remove_entry(child.buf) != 0)
            rc = -1;
        strbuf_release(&child);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

bool fs_remove_tree(const char *path)
{
    return remove_entry(path) == 0;
}
