#!/usr/bin/env bash
# make coverage's runner: the tests built with --coverage, then an lcov
# HTML report in build/coverage/html and a one-line summary of the
# project's own code (tests excluded).
#
#   ci/coverage.sh TEST...
set -euo pipefail

dir=build/coverage
results=$dir/results.txt
info=$dir/coverage.info
: >"$results"
lcov --quiet --zerocounters --directory "$dir/obj"

# shellcheck disable=SC2046
ci/run-tests.sh coverage "$results" "" $(printf "$dir/bin/%s " "$@")
ci/summary.sh "$results" >/dev/null || { ci/summary.sh "$results"; exit 1; }

# Debian 12's lcov 1.16 warns about its own Perl ("Subroutine ...
# redefined"); that noise is dropped, anything else it says is kept.
lcov --quiet --capture --directory "$dir/obj" --base-directory . \
	--output-file "$info.all" 2> >(grep -v 'redefined at' >&2)
lcov --quiet --remove "$info.all" '/usr/*' "$PWD/tests/*" --output-file "$info"
genhtml --quiet --output-directory "$dir/html" "$info"
lcov --summary "$info" 2>&1 | awk -v html="$dir/html/index.html" '
	/lines\.*:/ { lines = $2 " " $3 " " $4 " " $5 " " $6 }
	/functions\.*:/ { functions = $2 " " $3 " " $4 " " $5 " " $6 }
	END { print "coverage: lines " lines ", functions " functions " - " html }'
