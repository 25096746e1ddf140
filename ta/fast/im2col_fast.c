/* im2col.c in fast mode (sub.mk) */
#define TL_FAST 1
#include "im2col.c"
