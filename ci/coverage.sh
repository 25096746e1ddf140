#!/usr/bin/env bash
# make coverage's runner: the tests built with --coverage, then an lcov
# HTML report in build/coverage/html, the figures of the project's own
# code (tests and fuzz targets excluded), and the gates CI holds them to:
#   lines of the secure side (tinylibm/, tinylib/secure/, ta/) >= 90%,
#   lines of the whole project >= 85%; branches are measured and printed.
# The gates are two more results (build/coverage/results.txt, phase
# "coverage-gate"), so that a summary over them fails when one does; the
# figures go to build/coverage/figures.txt as well, for CI's last lines.
#
#   ci/coverage.sh TEST...
set -euo pipefail

dir=build/coverage
results=$dir/results.txt
figures=$dir/figures.txt
info=$dir/coverage.info
SECURE_MIN=90
OVERALL_MIN=85
: >"$results"
: >"$figures"
lcov --quiet --zerocounters --directory "$dir/obj"

# shellcheck disable=SC2046
ci/run-tests.sh coverage "$results" "" $(printf "$dir/bin/%s " "$@")
# The Unicorn runner's tests (host only) on make check's sample models.
if [ -n "${UNICORN_TESTS:-}" ]; then
	# shellcheck disable=SC2046
	TL_TEST_MODELS="${UNICORN_CHECK_MODELS:-}" ci/run-tests.sh coverage \
		"$results" "" $(printf "$dir/bin/%s " $UNICORN_TESTS)
fi

# Debian 12's lcov 1.16 warns about its own Perl ("Subroutine ...
# redefined"); that noise is dropped, anything else it says is kept.
quiet_lcov() { lcov --quiet --rc lcov_branch_coverage=1 "$@" 2> >(grep -v 'redefined at' >&2); }
quiet_lcov --capture --directory "$dir/obj" --base-directory . \
	--output-file "$info.all"
quiet_lcov --remove "$info.all" '/usr/*' "$PWD/tests/*" "$PWD/fuzz/*" \
	--output-file "$info"
quiet_lcov --extract "$info" "$PWD/tinylibm/*" "$PWD/tinylib/secure/*" \
	"$PWD/ta/*" --output-file "$info.secure"
genhtml --quiet --branch-coverage --output-directory "$dir/html" "$info" \
	2> >(grep -v 'redefined at' >&2)

# "hit found percent" of lines and of branches in an lcov trace.
totals() {
	awk -F'[:,]' '
		/^LH:/ { lh += $2 } /^LF:/ { lf += $2 }
		/^BRH:/ { bh += $2 } /^BRF:/ { bf += $2 }
		END { printf "%d %d %.1f %d %d %.1f\n", lh, lf,
			lf ? 100 * lh / lf : 0, bh, bf, bf ? 100 * bh / bf : 0 }' "$1"
}

# gate NAME TRACE MIN: prints the figures, records pass or fail.
gate() {
	local name=$1 trace=$2 min=$3 lh lf lp bh bf bp
	read -r lh lf lp bh bf bp < <(totals "$trace")
	local verdict=passed ok=1 bad=0
	if awk -v p="$lp" -v m="$min" 'BEGIN { exit !(p < m) }'; then
		verdict="FAILED, below $min%" ok=0 bad=1
	fi
	printf 'coverage %-30s lines %5.1f%% (%d of %d; gate %d%%: %s), branches %5.1f%% (%d of %d)\n' \
		"$name" "$lp" "$lh" "$lf" "$min" "$verdict" "$bp" "$bh" "$bf" | tee -a "$figures"
	echo "coverage-gate $(echo "$name" | tr ' ' _) $ok $bad 0" >>"$results"
}

gate "secure side (tinylibm, S-Tinylib, ta)" "$info.secure" $SECURE_MIN
gate "whole project" "$info" $OVERALL_MIN
echo "coverage report: $dir/html/index.html" | tee -a "$figures"
ci/summary.sh "$results"
