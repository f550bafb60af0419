/* The number of elements of an array (not of a pointer). */
#ifndef GWC_ARRAY_H
#define GWC_ARRAY_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
