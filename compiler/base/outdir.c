#define _DEFAULT_SOURCE /* flock */
#include "outdir.h"

#include "arena.h"
#include "fs.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER_FORMAT "gwc-output 1"
#define MARKER_LIMIT (16u << 20)

struct outdir {
    struct arena *a;
    const char *dir; /* as given, without trailing slashes */
    int fd;          /* DIR, locked */
    bool created;    /* DIR did not exist */
    const char **old; /* sorted: what the marker lists */
    size_t n_old;
    const char *const *paths; /* the new files, in the order of renaming */
    size_t n;
    char *staging; /* its name in DIR */
    int staging_fd;
    int file_fd;   /* the staged file being written, or -1 */
    const char *file_path;
    size_t next; /* where to look for the next file's path first */
    bool failed;   /* a write failed: *why says how */
    struct strbuf *why;
};

static enum outdir_result fail(struct outdir *j, const char *what, const char *rel)
{
    strbuf_addf(j->why, "cannot %s '%s%s%s': %s", what, j->dir, rel ? "/" : "",
                rel ? rel : "", strerror(errno));
    return OUTDIR_FAILED;
}

/* Names joined by '/', none empty, hidden, "." or "..", no controls: what
 * gwc writes, and all that a marker may name, so that no marker, however
 * edited, points outside DIR. */
static bool valid_path(const char *p)
{
    bool start = true;

    if (!*p)
        return false;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || (start && (c == '.' || c == '/')))
            return false;
        start = c == '/';
    }
    return !start;
}

/* The directory holding rel's last name, walked from root without
 * following a symbolic link; missing directories are made when 'create'.
 * -1 with errno set on failure (ENOENT: a directory is missing). */
static int open_parent(int root, const char *rel, bool create, const char **leaf)
{
    int fd = fcntl(root, F_DUPFD_CLOEXEC, 0);
    const char *p = rel, *slash;

    while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
        char name[NAME_MAX + 1];
        size_t n = (size_t)(slash - p);
        int next;

        if (n > NAME_MAX) {
            close(fd);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (create && mkdirat(fd, name, 0755) != 0 && errno != EEXIST) {
            close(fd);
            return -1;
        }
        next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        p = slash + 1;
    }
    *leaf = p;
    return fd;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool listed(const struct outdir *j, const char *rel)
{
    return j->n_old && bsearch(&rel, j->old, j->n_old, sizeof(*j->old), cmp_str);
}

/* Reads the marker into j->old.  false: there is none, or it is not one
 * gwc wrote (*bad says why). */
static bool read_marker(struct outdir *j, const char **bad)
{
    char *data, *line, *next;
    size_t len, n = 0, cap = 16;
    int fd = openat(j->fd, OUTDIR_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    enum fs_result r;

    *bad = NULL;
    if (fd < 0) {
        if (errno != ENOENT)
            *bad = strerror(errno);
        return false;
    }
    r = fs_read_fd(j->a, fd, MARKER_LIMIT, &data, &len);
    close(fd);
    if (r != FS_OK || strlen(data) != len) {
        *bad = r == FS_FAILED ? strerror(errno) : "not a text gwc wrote";
        return false;
    }
    j->old = ARENA_NEW_ARRAY(j->a, const char *, cap);
    for (line = data; *line; line = next) {
        next = strchr(line, '\n');
        if (!next) {
            *bad = "its last line is not complete";
            return false;
        }
        *next++ = '\0';
        if (line == data) {
            if (strcmp(line, MARKER_FORMAT) != 0) {
                *bad = "its first line is not \"" MARKER_FORMAT "\"";
                return false;
            }
            continue;
        }
        if (*line == '#' || *line == '\0')
            continue;
        if (!valid_path(line)) {
            *bad = "it lists a path outside gwc's files";
            return false;
        }
        ARENA_GROW(j->a, const char *, j->old, n, cap, 16);
        j->old[n++] = line;
    }
    if (line == data) {
        *bad = "it is empty";
        return false;
    }
    qsort(j->old, n, sizeof(*j->old), cmp_str);
    j->n_old = n;
    return true;
}

static bool is_empty(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    bool empty = true;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* Opens (or makes) DIR and locks it against another gwc writing it. */
static enum outdir_result open_dir(struct outdir *j)
{
    j->fd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j->fd < 0 && errno == ENOENT) {
        if (mkdir(j->dir, 0755) != 0)
            return fail(j, "create", NULL);
        j->created = true;
        j->fd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (j->fd < 0) {
        if (errno != ENOTDIR)
            return fail(j, "open", NULL);
        strbuf_addf(j->why, "'%s' exists and is not a directory", j->dir);
        return OUTDIR_REFUSED;
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            return fail(j, "lock", NULL);
        strbuf_addf(j->why, "another gwc is writing '%s' right now", j->dir);
        return OUTDIR_FAILED;
    }
    return OUTDIR_OK;
}

/* Whether DIR is gwc's to write, before anything in it changes. */
static enum outdir_result check_owner(struct outdir *j, bool force)
{
    const char *bad;
    size_t i;

    if (!read_marker(j, &bad)) {
        j->n_old = 0;
        if (!force && bad) {
            strbuf_addf(j->why, "'%s/%s' is not a marker gwc wrote (%s), so gwc "
                        "cannot tell its files from others'; --force writes gwc's "
                        "files into '%s' anyway, removing nothing",
                        j->dir, OUTDIR_MARKER, bad, j->dir);
            return OUTDIR_REFUSED;
        }
        if (!force && !is_empty(j->fd)) {
            strbuf_addf(j->why, "'%s' holds files gwc did not write (it has no %s); "
                        "gwc writes only into a new or empty directory, or one it "
                        "wrote before.  Choose another directory, or pass --force "
                        "to write gwc's files into this one (files of the same "
                        "names are overwritten, no other file is touched)",
                        j->dir, OUTDIR_MARKER);
            return OUTDIR_REFUSED;
        }
    }
    for (i = 0; i < j->n; i++) {
        const char *leaf;
        struct stat st;
        int parent = open_parent(j->fd, j->paths[i], false, &leaf);

        if (parent < 0) {
            if (errno == ENOENT)
                continue; /* made later */
            if (errno != ELOOP && errno != ENOTDIR)
                return fail(j, "open", j->paths[i]);
            strbuf_addf(j->why, "a directory on the way to '%s/%s' is a symbolic "
                        "link or not a directory; gwc writes only through "
                        "directories", j->dir, j->paths[i]);
            return OUTDIR_REFUSED;
        }
        if (fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode)) {
                strbuf_addf(j->why, "'%s/%s' is a directory, where gwc writes a file",
                            j->dir, j->paths[i]);
                close(parent);
                return OUTDIR_REFUSED;
            }
            if (!force && !listed(j, j->paths[i])) {
                strbuf_addf(j->why, "'%s/%s' exists but gwc did not write it (%s/%s "
                            "does not list it); move it away, or pass --force to "
                            "overwrite it", j->dir, j->paths[i], j->dir,
                            OUTDIR_MARKER);
                close(parent);
                return OUTDIR_REFUSED;
            }
        }
        close(parent);
    }
    return OUTDIR_OK;
}

/* A new file with exactly this mode, open for writing; -1 with errno set. */
static int create_at(int root, const char *rel, unsigned mode)
{
    const char *leaf;
    int parent = open_parent(root, rel, true, &leaf), fd;

    if (parent < 0)
        return -1;
    fd = openat(parent, leaf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                (mode_t)mode);
    close(parent);
    if (fd >= 0 && fchmod(fd, (mode_t)mode) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

static bool write_at(int root, const char *rel, const void *data, size_t len,
                     unsigned mode)
{
    int fd = create_at(root, rel, mode);
    bool ok = fd >= 0 && fs_write_all(fd, data, len);

    return fd >= 0 && close(fd) == 0 && ok;
}

/* The staging directory, where the new files are written and no one reads
 * them yet. */
static enum outdir_result stage(struct outdir *j)
{
    struct strbuf tmp = STRBUF_INIT;
    const char *name;

    strbuf_addf(&tmp, "%s/.gwc-staging-XXXXXX", j->dir);
    if (!mkdtemp(tmp.buf)) {
        strbuf_release(&tmp);
        return fail(j, "write into", NULL);
    }
    name = strrchr(tmp.buf, '/') + 1;
    j->staging = arena_strdup(j->a, name);
    strbuf_release(&tmp);
    j->staging_fd = openat(j->fd, j->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (j->staging_fd < 0)
        return fail(j, "open", j->staging);
    return OUTDIR_OK;
}

/* The marker, listing sorted paths[0..n), moved into place. */
static bool put_marker(struct outdir *j, const char *const *paths, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    size_t i;
    bool ok;

    strbuf_addstr(&sb, MARKER_FORMAT "\n"
                       "# gwc wrote this directory.  The next gwc run writing it (-o)\n"
                       "# replaces the files listed below and touches no other file.\n");
    for (i = 0; i < n; i++) {
        if (i == 0 || strcmp(paths[i], paths[i - 1]) != 0)
            strbuf_addf(&sb, "%s\n", paths[i]);
    }
    ok = write_at(j->staging_fd, OUTDIR_MARKER, sb.buf, sb.len, 0644) &&
         renameat(j->staging_fd, OUTDIR_MARKER, j->fd, OUTDIR_MARKER) == 0;
    strbuf_release(&sb);
    return ok;
}

static bool move_into_place(struct outdir *j, const char *rel)
{
    const char *from, *to;
    int src = open_parent(j->staging_fd, rel, false, &from);
    int dst = src >= 0 ? open_parent(j->fd, rel, true, &to) : -1;
    bool ok = dst >= 0 && renameat(src, from, dst, to) == 0;
    int saved = errno;

    if (src >= 0)
        close(src);
    if (dst >= 0)
        close(dst);
    errno = saved;
    return ok;
}

/* A file the last run wrote and this one does not.  One a person has
 * since replaced by a directory is theirs now: left alone. */
static void remove_stale(struct outdir *j, const char *rel)
{
    const char *leaf;
    int parent = open_parent(j->fd, rel, false, &leaf);

    if (parent < 0)
        return;
    unlinkat(parent, leaf, 0);
    close(parent);
}

static enum outdir_result commit(struct outdir *j, const char *const *dirs, size_t n_dirs)
{
    size_t n = j->n;
    const char **fresh = ARENA_NEW_ARRAY(j->a, const char *, n + 1);
    const char **both = ARENA_NEW_ARRAY(j->a, const char *, n + j->n_old + 1);
    size_t i;

    for (i = 0; i < n; i++)
        fresh[i] = both[i] = j->paths[i];
    if (j->n_old)
        memcpy(both + n, j->old, j->n_old * sizeof(*both));
    qsort(fresh, n, sizeof(*fresh), cmp_str);
    qsort(both, n + j->n_old, sizeof(*both), cmp_str);
    if (!put_marker(j, both, n + j->n_old))
        return fail(j, "write", OUTDIR_MARKER);
    for (i = 0; i < n_dirs; i++) {
        const char *leaf;
        int parent = open_parent(j->fd, dirs[i], true, &leaf);
        bool ok = parent >= 0 && (mkdirat(parent, leaf, 0755) == 0 || errno == EEXIST);
        if (parent >= 0)
            close(parent);
        if (!ok)
            return fail(j, "create", dirs[i]);
    }
    for (i = 0; i < n; i++) {
        if (!move_into_place(j, j->paths[i]))
            return fail(j, "replace", j->paths[i]);
    }
    for (i = 0; i < j->n_old; i++) {
        if (!bsearch(&j->old[i], fresh, n, sizeof(*fresh), cmp_str))
            remove_stale(j, j->old[i]);
    }
    if (!put_marker(j, fresh, n))
        return fail(j, "write", OUTDIR_MARKER);
    return OUTDIR_OK;
}

/* Ends the writing: nothing of the staging directory stays, nor DIR if
 * this run made it and failed. */
static void finish(struct outdir *j, enum outdir_result r)
{
    if (j->file_fd >= 0)
        close(j->file_fd);
    if (j->staging_fd >= 0)
        close(j->staging_fd);
    if (j->staging) {
        struct strbuf path = STRBUF_INIT;
        strbuf_addf(&path, "%s/%s", j->dir, j->staging);
        fs_remove_tree(path.buf);
        strbuf_release(&path);
    }
    if (r != OUTDIR_OK && j->created)
        rmdir(j->dir);
    if (j->fd >= 0)
        close(j->fd);
}

enum outdir_result outdir_open(struct arena *a, const char *dir,
                               const char *const *paths, size_t n, bool force,
                               struct strbuf *why, struct outdir **out)
{
    size_t len = strlen(dir), i;
    struct outdir *j = ARENA_NEW(a, struct outdir);
    enum outdir_result r;

    for (i = 0; i < n; i++) {
        if (!valid_path(paths[i]))
            BUG("an output path gwc cannot own");
    }
    while (len > 1 && dir[len - 1] == '/')
        len--; /* "out/" names files "out/nginx.conf" */
    j->a = a;
    j->dir = arena_strndup(a, dir, len);
    j->fd = j->staging_fd = j->file_fd = -1;
    j->paths = paths;
    j->n = n;
    j->why = why;
    r = open_dir(j);
    if (r == OUTDIR_OK)
        r = check_owner(j, force);
    if (r == OUTDIR_OK)
        r = stage(j);
    if (r != OUTDIR_OK) {
        finish(j, r);
        j = NULL;
    }
    *out = j;
    return r;
}

/* Closes the file being written; a failed close (NFS, a full disk) is a
 * failed write. */
static void end_file(struct outdir *j)
{
    int fd = j->file_fd;

    j->file_fd = -1;
    if (fd >= 0 && close(fd) != 0 && !j->failed) {
        fail(j, "write", j->file_path);
        j->failed = true;
    }
}

void outdir_begin(struct outdir *j, const char *path, unsigned mode)
{
    size_t i, k;

    end_file(j);
    /* Files usually come in the order of paths: no quadratic search. */
    for (k = 0; k < j->n; k++) {
        i = (j->next + k) % j->n;
        if (strcmp(j->paths[i], path) == 0)
            break;
    }
    if (k == j->n)
        BUG("a file outdir_open was not told about");
    j->next = i + 1;
    j->file_path = j->paths[i];
    if (j->failed)
        return;
    j->file_fd = create_at(j->staging_fd, path, mode);
    if (j->file_fd < 0) {
        fail(j, "write", path);
        j->failed = true;
    }
}

void outdir_write(struct outdir *j, const void *data, size_t len)
{
    if (j->failed || j->file_fd < 0)
        return;
    if (!fs_write_all(j->file_fd, data, len)) {
        fail(j, "write", j->file_path);
        j->failed = true;
    }
}

enum outdir_result outdir_commit(struct outdir *j, const char *const *dirs,
                                 size_t n_dirs)
{
    enum outdir_result r = OUTDIR_FAILED;

    end_file(j);
    if (!j->failed)
        r = commit(j, dirs, n_dirs);
    finish(j, r);
    return r;
}

void outdir_abort(struct outdir *j)
{
    finish(j, OUTDIR_FAILED);
}

enum outdir_result outdir_replace(struct arena *a, const char *dir,
                                  const struct outdir_file *files, size_t n,
                                  const char *const *dirs, size_t n_dirs,
                                  bool force, struct strbuf *why)
{
    const char **paths = ARENA_NEW_ARRAY(a, const char *, n + 1);
    struct outdir *d;
    enum outdir_result r;
    size_t i;

    for (i = 0; i < n; i++)
        paths[i] = files[i].path;
    r = outdir_open(a, dir, paths, n, force, why, &d);
    if (r != OUTDIR_OK)
        return r;
    for (i = 0; i < n; i++) {
        outdir_begin(d, files[i].path, files[i].mode);
        outdir_write(d, files[i].data, files[i].len);
    }
    return outdir_commit(d, dirs, n_dirs);
}
