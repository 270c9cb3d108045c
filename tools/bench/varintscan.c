/* varintscan.c — the floor that tools/bench/gotrace.sh measures `memscope
 * info` against: read a file from stdin (cat FILE | varintscan) and count
 * its ULEB128 varints (bytes without the continuation bit), touching every
 * byte once and doing nothing else. Prints the count. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static uint8_t buf[1 << 20];
	uint64_t n = 0;
	ssize_t k;
	while ((k = read(0, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < k; i++)
			n += buf[i] < 0x80;
	printf("%llu\n", (unsigned long long)n);
	return k < 0;
}
