# tools/: generators, benchmarks, fuzz targets.
