# tools/: generators, benchmarks, fuzz targets.
# Shipped whole (directories are copied recursively by `make dist`), so a
# release tarball can regenerate its test data, fuzz every parser and run
# the benchmarks that testdata/README and the README name.
EXTRA_DIST += tools/bench tools/experiments tools/fuzz tools/leakgen tools/memstatsgen \
	tools/build.sh tools/deps.sh tools/setup.sh tools/test.sh \
	tools/mkbadprofiles.py tools/mkfragdumps.sh tools/mkgolden.sh tools/gotrace_txt2bin.py doc \
	tools/mkgolden_views.sh
# A directory in EXTRA_DIST is copied from the build tree too when it exists
# there (tools/bench holds built test programs): keep only what the source
# tree has.
dist-hook:
	@cd "$(distdir)" && find tools doc -depth | while read f; do \
		test -e "$(abs_srcdir)/$$f" || test -h "$(abs_srcdir)/$$f" || rm -rf "$$f"; done
