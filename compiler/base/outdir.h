/*
 * The output directory of `gwc compile -o DIR` and `gwc import-ingress -o
 * DIR`: gwc never removes or overwrites a file it did not write.
 *
 * gwc writes into DIR only when DIR does not exist, is empty, or holds the
 * marker DIR/.gwc-output, which lists the files gwc wrote there last time.
 * Then it replaces exactly those files: every other file (nginx's pid file,
 * logs and sockets, anything a person put there) stays as it is, so a
 * running nginx keeps working across recompiles.  A file of the new set
 * that exists but is not listed is someone else's: gwc refuses, unless
 * forced.  Forced, gwc writes its files into any directory (overwriting
 * files of the same names) and removes nothing but files a valid marker
 * lists.
 *
 * Nothing is replaced until every new file is written: they are made in a
 * staging directory inside DIR and then renamed into place, each rename
 * atomic, so a reader sees every file whole and a failed write (a full
 * disk) leaves DIR as it was.  The marker is rewritten, listing old and new
 * files, before the first rename, so that an interrupted run leaves no file
 * of gwc's unlisted.  Paths inside DIR never go through a symbolic link.
 * DIR itself is never renamed: "-o ." and mount points work.
 */
#ifndef GWC_OUTDIR_H
#define GWC_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct strbuf;

#define OUTDIR_MARKER ".gwc-output"

struct outdir_file {
    /* Relative to DIR: names joined by '/', none empty, none starting with
     * '.', no control characters. */
    const char *path;
    const void *data;
    size_t len;
    unsigned mode;
};

enum outdir_result {
    OUTDIR_OK,
    OUTDIR_REFUSED, /* DIR is not gwc's to write (see above) */
    OUTDIR_FAILED,  /* a system call failed */
};

/*
 * Writing DIR in steps, so that a large file goes to disk as it is made
 * and never has to be whole in memory:
 *
 *   outdir_open    locks DIR, checks that the new files paths[0..n) are
 *                  gwc's to write there, and makes the staging directory;
 *   outdir_begin,  write each file of paths (any order) into the staging
 *   outdir_write   directory, in pieces;
 *   outdir_commit  makes the directories dirs[0..n_dirs) that are missing
 *                  and renames the files into place in the order of paths
 *                  (the entry point last);
 *   outdir_abort   instead: removes only what this run made.
 *
 * commit and abort end the writing either way.  A failed write is
 * remembered: later writes do nothing and commit reports it, so the
 * writer need not check each call.  On anything but OUTDIR_OK, *why says
 * what happened, naming the path concerned.
 */
struct outdir;

enum outdir_result outdir_open(struct arena *a, const char *dir,
                               const char *const *paths, size_t n, bool force,
                               struct strbuf *why, struct outdir **out);
void outdir_begin(struct outdir *d, const char *path, unsigned mode);
void outdir_write(struct outdir *d, const void *data, size_t len);
enum outdir_result outdir_commit(struct outdir *d, const char *const *dirs,
                                 size_t n_dirs);
void outdir_abort(struct outdir *d);

/* All of it at once, for files already in memory. */
enum outdir_result outdir_replace(struct arena *a, const char *dir,
                                  const struct outdir_file *files, size_t n,
                                  const char *const *dirs, size_t n_dirs,
                                  bool force, struct strbuf *why);

#endif
