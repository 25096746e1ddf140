#!/usr/bin/env bash
# Prints the counts of one or more results files (see run-tests.sh), phase
# by phase, then the closing line "N passed, N failed"; exits 1 if any test
# failed or none ran.
set -euo pipefail
awk '
	{ p[$1] += $3; f[$1] += $4; s[$1] += $5; P += $3; F += $4; S += $5
	  if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 }
	  if ($4 > 0) bad = bad "  " $1 ": " $2 "\n" }
	END {
		print "== summary"
		for (i = 0; i < n; i++)
			printf "  %-13s %5d passed %3d failed %3d skipped\n", order[i], p[order[i]], f[order[i]], s[order[i]]
		if (bad != "") printf "failed programs:\n%s", bad
		line = P " passed, " F " failed"
		if (S > 0) line = line ", " S " skipped"
		print line
		exit (F > 0 || P == 0) ? 1 : 0
	}' "$@"
