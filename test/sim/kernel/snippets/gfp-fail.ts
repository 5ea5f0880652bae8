/**
 * Must fail: the compile-time rules that depend on __GFP_COMP read it from every mask form they can.
 * Compiled by test/sim/kernel/snippets.test.ts; excluded from tsconfig.json.
 */
import { alloc_pages, GFP_KERNEL, type gfp_t, page_folio, split_page } from "memdesc/sim";

export function f(gfp: gfp_t): void {
  const a = alloc_pages(GFP_KERNEL, 2)!;
  page_folio(a); // @expect-error TS2345 MD008 page_folio: the block was allocated at order 2 without __GFP_COMP
  const b = alloc_pages(`${gfp} & ~__GFP_COMP`, 1)!;
  page_folio(b); // @expect-error TS2345 MD008 page_folio: the block was allocated at order 1 without __GFP_COMP
  const c = alloc_pages(`${gfp} | __GFP_COMP`, 1)!;
  split_page(c, 1); // @expect-error TS2345 MD010 split_page: the block is compound
  const d = alloc_pages("GFP_TRANSHUGE", 9)!;
  split_page(d, 9); // @expect-error TS2345 MD010 split_page: the block is compound
  alloc_pages("GFP_KERNEL | __GFP_CMOP", 0); // @expect-error TS2345 unknown GFP flag '__GFP_CMOP' in 'GFP_KERNEL | __GFP_CMOP'
}
