# man/
dist_man_MANS += man/memscope.1
