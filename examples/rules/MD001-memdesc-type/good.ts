// MD001 kept: type 7 is PageTable in the default table; the payload is a 16-byte-aligned ptdesc.
import { MEMDESC_TYPE, memdesc_word } from "memdesc/sim";

export const word = memdesc_word(MEMDESC_TYPE.MEMDESC_TYPE_PAGETABLE, 0xffff888100000040n);
