// SPDX-License-Identifier: GPL-2.0-only
/*
 * kpageflags-reader: the plain C baseline for `npm run bench` (census), and an
 * independent check of memdesc's page-types summary in the tests.
 *
 * It reads /proc/kpageflags (or a raw saved copy) the way tools/mm/page-types
 * does — pread() of 64K-entry batches — and counts flag combinations in an
 * open-addressing table of 8192 slots keyed like page-types' hash_slot().
 *
 *   kpageflags-reader [FILE]      count raw combinations; print one summary line
 *   kpageflags-reader -s [FILE]   page-types' default summary: well_known_flags()
 *                                 (bits 32-47 hidden, compound bits hidden unless
 *                                 huge) and show_summary()'s format and row order
 *
 * Written for memdesc from the behaviour documented in page-types.c
 * (torvalds/linux tools/mm/page-types.c @02e1960aafac); the letter and name
 * table below restates that file's page_flag_names[].
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH (64 << 10)
#define HASH_SHIFT 13
#define HASH_SIZE (1 << HASH_SHIFT)
#define HASH_MASK (HASH_SIZE - 1)

static const char *const names[64] = {
	[0] = "L:locked",	   [1] = "E:error",	     [2] = "R:referenced",
	[3] = "U:uptodate",	   [4] = "D:dirty",	     [5] = "l:lru",
	[6] = "A:active",	   [7] = "S:slab",	     [8] = "W:writeback",
	[9] = "I:reclaim",	   [10] = "B:buddy",	     [11] = "M:mmap",
	[12] = "a:anonymous",	   [13] = "s:swapcache",     [14] = "b:swapbacked",
	[15] = "H:compound_head",  [16] = "T:compound_tail", [17] = "G:huge",
	[18] = "u:unevictable",	   [19] = "X:hwpoison",	     [20] = "n:nopage",
	[21] = "x:ksm",		   [22] = "t:thp",	     [23] = "o:offline",
	[24] = "z:zero_page",	   [25] = "i:idle_page",     [26] = "g:pgtable",
	[32] = "r:reserved",	   [33] = "m:mlocked",	     [34] = "d:owner_2",
	[35] = "P:private",	   [36] = "p:private_2",     [37] = "O:owner_private",
	[38] = "h:arch",	   [39] = "c:uncached",	     [40] = "f:softdirty",
	[41] = "H:arch_2",	   [47] = "d:anon_exclusive", [48] = "I:readahead",
	[50] = "A:slub_frozen",	   [51] = "E:slub_debug",    [61] = "F:file",
	[62] = "w:swap",	   [63] = "1:mmap_exclusive",
};

static uint64_t slot_flags[HASH_SIZE];
static unsigned long slot_pages[HASH_SIZE];

static size_t hash_slot(uint64_t flags)
{
	size_t k = flags & HASH_MASK;
	size_t i;

	if (flags == 0)
		return 0;
	for (i = 1; i < HASH_SIZE; i++, k++) {
		if (!k || k >= HASH_SIZE)
			k = 1;
		if (slot_flags[k] == 0) {
			slot_flags[k] = flags;
			return k;
		}
		if (slot_flags[k] == flags)
			return k;
	}
	fprintf(stderr, "hash table full\n");
	exit(1);
}

static uint64_t well_known(uint64_t flags)
{
	const uint64_t compound = (1ULL << 15) | (1ULL << 16);

	flags &= ~(0xffffULL << 32);
	if ((flags & compound) && !(flags & (1ULL << 17)))
		flags &= ~compound;
	return flags;
}

int main(int argc, char **argv)
{
	static uint64_t buf[BATCH];
	const char *path = "/proc/kpageflags";
	int summary = 0, fd;
	unsigned long total = 0, distinct = 0;
	long page_size = sysconf(_SC_PAGESIZE);
	off_t off = 0;

	if (argc > 1 && !strcmp(argv[1], "-s")) {
		summary = 1;
		argc--;
		argv++;
	}
	if (argc > 1)
		path = argv[1];
	if (getenv("PAGE_SIZE"))
		page_size = atol(getenv("PAGE_SIZE"));
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		size_t i, pages;

		if (n < 0) {
			perror(path);
			return 1;
		}
		if (n == 0)
			break;
		if (n % 8) {
			fprintf(stderr, "partial read: %zd bytes\n", n);
			return 1;
		}
		pages = n / 8;
		for (i = 0; i < pages; i++) {
			uint64_t f = summary ? well_known(buf[i]) : buf[i];

			slot_pages[hash_slot(f)]++;
		}
		total += pages;
		off += n;
	}
	close(fd);

	for (size_t s = 0; s < HASH_SIZE; s++)
		distinct += slot_pages[s] != 0;
	if (!summary) {
		printf("%lu page frames, %lu distinct flag combinations\n", total, distinct);
		return 0;
	}
	printf("             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n");
	for (size_t s = 0; s < HASH_SIZE; s++) {
		char sym[65], lng[1024];
		size_t j = 0, m = 0;

		if (!slot_pages[s])
			continue;
		for (int b = 0; b < 64; b++) {
			int set = (slot_flags[s] >> b) & 1;

			if (!names[b])
				continue;
			sym[j++] = set ? names[b][0] : '_';
			if (set)
				m += snprintf(lng + m, sizeof(lng) - m, "%s,", names[b] + 2);
		}
		sym[j] = 0;
		if (m)
			m--;
		lng[m] = 0;
		printf("0x%016" PRIx64 "\t%10lu %8lu  %s\t%s\n", slot_flags[s], slot_pages[s],
		       (unsigned long)(((uint64_t)slot_pages[s] * page_size) >> 20), sym, lng);
	}
	printf("             total\t%10lu %8lu\n", total, (unsigned long)(((uint64_t)total * page_size) >> 20));
	return 0;
}
