# tools/: generators, benchmarks, fuzz targets.
EXTRA_DIST += tools/fuzz/speed.sh tools/fuzz/seeds.sh tools/fuzz/seeds/folded tools/fuzz/seeds/perf
