#!/bin/bash -eu
# The cluster's build step: fuzz/build.sh honours $CC $CFLAGS
# $LIB_FUZZING_ENGINE and writes every target, its seed corpus and its
# dictionary into $OUT.
exec fuzz/build.sh
