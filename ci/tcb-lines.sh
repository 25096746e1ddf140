#!/usr/bin/env bash
# Code lines (cloc, C and headers, comments and blanks excluded) of what runs
# in the secure world: the trusted computing base the project reports.
set -euo pipefail
dirs=()
for d in tinylibm tinylib/secure ta; do [ -d "$d" ] && dirs+=("$d"); done
for d in "${dirs[@]}"; do
	n=$(cloc --quiet --csv --include-lang=C,'C/C++ Header' "$d" | awk -F, '/SUM/{print $5}')
	printf '  %-16s %5s lines\n' "$d" "${n:-0}"
done
n=$(cloc --quiet --csv --include-lang=C,'C/C++ Header' "${dirs[@]}" | awk -F, '/SUM/{print $5}')
printf '  %-16s %5s lines (the paper: Tinylibm 827, S-Tinylib 2,538)\n' "secure side" "$n"
