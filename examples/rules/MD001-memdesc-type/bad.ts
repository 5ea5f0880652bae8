// MD001: a memdesc word's type number must be one the chosen table assigns.
// The default table (wiki-source) assigns 0–10; 12 means nothing.
import { memdesc_word } from "memdesc/sim";

// expect-run MD001 (memdesc_word() decodes the word it builds when the module loads)

export const word = memdesc_word(12, 0xffff888100000000n); // expect MD001
