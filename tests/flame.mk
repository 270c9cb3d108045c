# Tests of memscope flame: readers (perf script, folded), collapse, diff, SVG.
