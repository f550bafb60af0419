/*
 * Files: bounded reads, sorted recursive directory listing, and atomic
 * writes (a temporary sibling renamed into place, so nobody ever reads a
 * half-written file).  Output directories are outdir.h's.
 */
#ifndef GWC_FS_H
#define GWC_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct arena;
struct strbuf;

enum fs_result { FS_OK, FS_TOO_LARGE, FS_FAILED };

/* Reads a whole file (path "-" is standard input) into the arena, NUL-ended.
 * On FS_FAILED, errno describes the failure. */
enum fs_result fs_read(struct arena *a, const char *path, size_t limit,
                       char **data, size_t *len);
/* The same from an open descriptor, to its end. */
enum fs_result fs_read_fd(struct arena *a, int fd, size_t limit, char **data,
                          size_t *len);
/* write() until done (or an error, with errno set). */
bool fs_write_all(int fd, const void *data, size_t len);

/* Decides whether a walk takes a path, given relative to the walked
 * directory ("sub/a.yaml"): a directory not taken is not entered. */
struct fs_filter {
    bool (*take)(const char *rel, bool is_dir, void *ctx);
    void *ctx;
};

/* Lists every regular file under dir that the filter takes, in byte order
 * of names level by level, recursing into subdirectories (hidden entries,
 * whose names start with '.', are left out).  Returns false with errno set
 * and *bad naming the path that failed. */
struct fs_list {
    char **v;
    size_t n, cap;
};
bool fs_list_tree(struct arena *a, const char *dir, const struct fs_filter *f,
                  struct fs_list *out, const char **bad);
bool fs_is_dir(const char *path);

/* Writes data to path through a temporary file in the same directory. */
bool fs_write_atomic(const char *path, const void *data, size_t len,
                     mode_t mode);

/* rm -rf */
bool fs_remove_tree(const char *path);

#endif
