// MD001 kept: type 7 is PageTable in the default table; the payload is a 16-byte-aligned ptdesc.
#include <linux/mm_types.h>

void scenario_page_table_word(void)
{
	memdesc_t word = memdesc_word(MEMDESC_TYPE_PAGETABLE, 0xffff888100000040UL);
}
