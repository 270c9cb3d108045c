#!/bin/sh
# man-parts.sh — every file in man/parts/ is in man/local.mk's MAN_PARTS,
# in file-name order (the page is assembled from that list, so a part left
# out of it would silently be missing from memscope(1)).
: "${srcdir:=.}"
listed=$(sed -n '/^MAN_PARTS = /,/[^\\]$/p' "$srcdir/man/local.mk" | tr ' \\\t' '\n\n\n' | grep '^man/parts/')
files=$(cd "$srcdir" && ls man/parts/*.man | LC_ALL=C sort)
if [ "$listed" = "$files" ]; then
	echo "ok - MAN_PARTS lists every man/parts/*.man in order"
	echo "1 passed, 0 failed"
	exit 0
fi
echo "not ok - MAN_PARTS and man/parts/ differ:"
printf '%s\n' "$listed" >/tmp/man-parts.$$.a
printf '%s\n' "$files" >/tmp/man-parts.$$.b
diff /tmp/man-parts.$$.a /tmp/man-parts.$$.b
rm -f /tmp/man-parts.$$.a /tmp/man-parts.$$.b
echo "0 passed, 1 failed"
exit 1
