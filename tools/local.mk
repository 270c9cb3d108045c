# tools/: generators, benchmarks, fuzz targets.
# Shipped whole (directories are copied recursively by `make dist`), so a
# release tarball can regenerate its test data, fuzz every parser and run
# the benchmarks that testdata/README and the README name.
EXTRA_DIST += tools/bench tools/experiments tools/fuzz tools/leakgen tools/memstatsgen \
	tools/build.sh tools/deps.sh tools/setup.sh tools/test.sh \
	tools/mkbadprofiles.py tools/mkfragdumps.sh tools/mkgolden.sh doc
