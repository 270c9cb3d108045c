# src/analysis/
libmemscope_la_SOURCES +=
