// MD001: a memdesc word's type number must be one the chosen table assigns (the C twin of bad.ts).
// The default table (wiki-source) assigns 0–10; 12 means nothing.
#include <linux/mm_types.h>

void scenario_unassigned_type(void)
{
	// expect-run MD001 (memdesc_word() decodes the word it builds)
	memdesc_t word = memdesc_word(12, 0xffff888100000000UL); // expect MD001
}
