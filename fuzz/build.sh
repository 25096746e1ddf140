#!/usr/bin/env bash
# Builds the fuzz targets the way a fuzzing cluster expects (OSS-Fuzz,
# ClusterFuzzLite: their build.sh runs this unchanged): with the
# cluster's $CC, $CFLAGS and $LIB_FUZZING_ENGINE, into $OUT, each target
# with its seed corpus ($OUT/<target>_seed_corpus.zip: fuzz/corpus/, the
# regression inputs of fuzz/regressions/ and the corpus campaigns grew,
# fuzz/grown/) and its dictionary
# ($OUT/<target>.dict, fuzz/dict/). Without a cluster's variables it
# builds for libFuzzer with clang 14, ASan and UBSan into build/fuzz/out.
#
#   fuzz/build.sh                     libFuzzer (make fuzz runs this)
#   FUZZ_FLAVOR=fuzz-afl CC=afl-clang-fast ... fuzz/build.sh   AFL++
#
# mbedTLS is linked statically: a cluster's runner has no libmbedcrypto.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${CC:=clang-14}"
: "${CFLAGS:=-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=all -fsanitize=fuzzer-no-link}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=build/fuzz/out}"
flavour=${FUZZ_FLAVOR:-fuzz}

# relinked every time: the engine and libraries are this build's
rm -f build/"$flavour"/bin/fuzz_*
make -s -j"${FUZZ_JOBS:-2}" FLAVOR="$flavour" FUZZ_CC="$CC" \
	FUZZ_CFLAGS="$CFLAGS" LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
	SIM_LDLIBS="-l:libmbedcrypto.a" fuzzers

mkdir -p "$OUT"
for bin in build/"$flavour"/bin/fuzz_*; do
	target=$(basename "$bin")
	cp "$bin" "$OUT/"
	if [ -f "fuzz/dict/$target.dict" ]; then
		cp "fuzz/dict/$target.dict" "$OUT/"
	fi
	seeds=()
	for dir in "fuzz/corpus/$target" "fuzz/regressions/$target" \
		"fuzz/grown/$target"; do
		[ -d "$dir" ] && seeds+=("$dir"/*)
	done
	rm -f "$OUT/${target}_seed_corpus.zip"
	if [ ${#seeds[@]} -gt 0 ]; then
		/usr/bin/python3 -m zipfile -c "$OUT/${target}_seed_corpus.zip" \
			"${seeds[@]}"
	fi
done
echo "fuzz/build.sh: $(ls build/"$flavour"/bin/fuzz_* | wc -l) targets in $OUT"
