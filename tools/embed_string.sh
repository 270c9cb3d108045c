#!/bin/sh
# embed_string.sh NAME IN OUT — writes OUT, a C header holding the text of
# IN as `static const char NAME[]` (one string literal a line), so a
# renderer can embed a script or style sheet kept as its own file (the
# rules in src/render/local.mk). OUT appears whole or not at all.
set -eu
name=$1 in=$2 out=$3
{
	echo "/* generated from $(basename "$in") by tools/embed_string.sh: do not edit */"
	echo "static const char $name[] ="
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$in"
	echo ';'
} >"$out.tmp"
mv "$out.tmp" "$out"
