/*
 * Files: bounded reads, sorted recursive directory listing, and atomic
 * writes (a temporary sibling renamed into place, so nobody ever reads a
 * half-written file or directory).
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

/* Visits every regular file under dir whose name 'accept' approves, in
 * byte order of path, recursing into subdirectories.  Returns false with
 * errno set and *bad naming the path that failed. */
struct fs_list {
    char **v;
    size_t n, cap;
};
bool fs_list_tree(struct arena *a, const char *dir,
                  bool (*accept)(const char *name), struct fs_list *out,
                  const char **bad);
bool fs_is_dir(const char *path);

/* Writes data to path through a temporary file in the same directory. */
bool fs_write_atomic(const char *path, const void *data, size_t len,
                     mode_t mode);

/* A directory being filled before it replaces the target in one step. */
struct fs_staging {
    char *target;
    char *tmp;
};
bool fs_staging_begin(struct fs_staging *st, const char *target);
/* Writes a file relative to the staging directory (subdirectories made). */
bool fs_staging_write(struct fs_staging *st, const char *rel, const void *data,
                      size_t len, mode_t mode);
/* Makes an (empty) directory relative to the staging directory. */
bool fs_staging_mkdir(struct fs_staging *st, const char *rel);
/* Swaps the staging directory into place; the old tree is removed. */
bool fs_staging_commit(struct fs_staging *st);
/* Removes the staging directory; the target is untouched. */
void fs_staging_abort(struct fs_staging *st);
/* rm -rf */
bool fs_remove_tree(const char *path);

#endif
