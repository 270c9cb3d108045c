/* varintscan.c — the floor that tools/bench/gotrace.sh and heapdump.sh
 * measure memscope against: read a file (the argument, else stdin: cat FILE
 * | varintscan) and decode every byte as part of a ULEB128 varint (value and
 * count), touching each byte once and doing nothing else — the least any
 * reader of a Go execution trace or heap dump must do. Prints the count and
 * the values' sum. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
	if (fd < 0)
		return 2;
	static uint8_t buf[1 << 20];
	uint64_t n = 0, sum = 0, v = 0;
	unsigned shift = 0;
	ssize_t k;
	while ((k = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < k; i++) {
			v |= (uint64_t)(buf[i] & 0x7f) << (shift & 63);
			shift += 7;
			if (buf[i] < 0x80) {
				sum += v, n++;
				v = 0, shift = 0;
			}
		}
	printf("%llu %llu\n", (unsigned long long)n, (unsigned long long)sum);
	return k < 0;
}
