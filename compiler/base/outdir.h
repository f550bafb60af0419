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
 * Replaces gwc's files in dir by files[0..n), renamed into place in that
 * order (the entry point last), and makes the directories dirs[0..n_dirs)
 * that are missing.  On anything but OUTDIR_OK, *why says what happened,
 * naming the path concerned.
 */
enum outdir_result outdir_replace(struct arena *a, const char *dir,
                                  const struct outdir_file *files, size_t n,
                                  const char *const *dirs, size_t n_dirs,
                                  bool force, struct strbuf *why);

#endif
