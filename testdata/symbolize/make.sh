#!/bin/sh
# make.sh — regenerates the symbolizer's command-line test data (see
# testdata/README, section "symbolize"). Run from the source tree's top with
# the build directory holding tools/bench/addr-profile:
#     testdata/symbolize/make.sh build
set -eu
d=testdata/symbolize
ap=$1/tools/bench/addr-profile
top=$(pwd)
flags="-g -O2 -fdebug-prefix-map=$top=."
cc $flags -fPIC -shared $d/lib.c -o $d/libsym.so
cc $flags -fPIE -pie $d/prog.c -o $d/prog -L$d -lsym -Wl,-rpath,'$ORIGIN'
cp $d/prog $d/prog.stripped
strip --strip-all $d/prog.stripped
id=$(readelf -n $d/prog | sed -n 's/.*Build ID: //p')
rm -rf $d/debug
mkdir -p $d/debug/.build-id/$(echo "$id" | cut -c1-2)
objcopy --only-keep-debug $d/prog $d/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug
head -c 64 $d/prog > $d/corrupt.elf
$d/prog > $d/prog.out
p=$top/$d/prog l=$top/$d/libsym.so
$ap --run --name "$p=$d/prog" --name "$l=$d/libsym.so" $d/prog.pb.gz < $d/prog.out
$ap --run --name "$p=$d/prog.stripped" --name "$l=$d/libsym.so" $d/stripped.pb.gz < $d/prog.out
$ap --run --name "$p=$d/corrupt.elf" --name "$l=$d/missing.so" $d/corrupt.pb.gz < $d/prog.out
rm $d/prog.out
