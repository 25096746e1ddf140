/* layernorm.c in fast mode (sub.mk) */
#define TL_FAST 1
#include "layernorm.c"
