/*
 * Path globs, as gitignore writes them, for --exclude:
 *  - '*' matches any characters but '/', '?' one character, [a-z] and [!a-z]
 *    a class (fnmatch(3) on each path segment);
 *  - a segment '**' matches any number of segments, none included;
 *  - a glob without '/' matches a name at any depth ("values.yaml" is
 *    "**" "/values.yaml"); one with a '/' matches the whole relative path
 *    (a leading "./" or "/" is dropped); a trailing '/' matches directories
 *    only.
 */
#ifndef GWC_GLOB_H
#define GWC_GLOB_H

#include <stdbool.h>

/* Whether the relative path ("charts/web/values.yaml", no leading "./")
 * matches the glob; is_dir says whether it names a directory. */
bool glob_match(const char *glob, const char *path, bool is_dir);

#endif
