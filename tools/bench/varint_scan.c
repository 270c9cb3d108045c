/* varint_scan.c — the floor for tools/bench/heapdump.sh: reads a file in
 * 1 MiB blocks and decodes every byte as part of a uvarint (the least any
 * reader of a Go heap dump must do), printing the count and a checksum. */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 20];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	if (!f)
		return 2;
	uint64_t v = 0, sum = 0, count = 0;
	int shift = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < n; i++) {
			v |= (uint64_t)(buf[i] & 0x7f) << (shift & 63);
			shift += 7;
			if (buf[i] < 0x80) {
				sum += v;
				count++;
				v = 0;
				shift = 0;
			}
		}
	fclose(f);
	printf("%llu varints, checksum %llu\n", (unsigned long long)count, (unsigned long long)sum);
	return 0;
}
