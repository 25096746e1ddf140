/*
 * A layer type's name for people (messages, reports), as tools/tlm.py's
 * LAYER_NAMES spells it: "convolution", "maxpool", ...; "?" for a type
 * the format does not have.
 */
#ifndef TL_LAYER_NAMES_H
#define TL_LAYER_NAMES_H

#include "tl_model.h"

const char *tl_layer_type_name(enum tl_layer_type type);

#endif
