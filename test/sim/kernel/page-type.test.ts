/**
 * The generated page-type accessors (src/sim/kernel/page-type.ts): each sets
 * and clears exactly its own type. Expected words are worked out by hand from
 * the newest page-flags.h (linux-mm/linux-mm @03e0599d): `enum pagetype`
 * PGTY_buddy = 0xf0, PGTY_offline, PGTY_table, PGTY_guard, PGTY_hugetlb,
 * PGTY_slab, PGTY_zsmalloc, PGTY_unaccepted, PGTY_large_kmalloc, PGTY_netpp
 * counting up from there, and `page->page_type = (unsigned int)PGTY_##lname
 * << 24` in __SetPage##uname / __folio_set_##fname; __ClearPage##uname writes
 * UINT_MAX back.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import * as sim from "../../../src/sim/index.js";
import { alloc_pages, GFP_KERNEL, Machine, page_to_pfn, runOn } from "../../../src/sim/index.js";
import type { OwnerBits } from "../../../src/sim/kernel/owner-fields.js";

/** [accessor suffix (uname or fname), the word __Set writes] — by hand, see above. */
const BY_HAND: readonly (readonly [string | null, string, number])[] = [
  ["Buddy", "buddy", 0xf000_0000],
  ["Offline", "offline", 0xf100_0000],
  ["Table", "pgtable", 0xf200_0000],
  ["Guard", "guard", 0xf300_0000],
  [null, "hugetlb", 0xf400_0000], // FOLIO_TYPE_OPS(hugetlb, hugetlb): no PageHugetlb
  ["Slab", "slab", 0xf500_0000],
  ["Zsmalloc", "zsmalloc", 0xf600_0000],
  ["Unaccepted", "unaccepted", 0xf700_0000],
  ["LargeKmalloc", "large_kmalloc", 0xf800_0000],
  ["Netpp", "netpp", 0xf900_0000],
];

type Fn = (h: unknown) => unknown;
const api = sim as unknown as Record<string, Fn | undefined>;
const fn = (name: string): Fn => {
  const f = api[name];
  if (typeof f !== "function") throw new Error(`no ${name}`);
  return f;
};

function check(set: string, clear: string, word: number) {
  const m = new Machine({ pages: 256, onViolation: "collect" });
  runOn(m, () => {
    const page = alloc_pages(GFP_KERNEL, 0)!;
    const pfn = page_to_pfn(page);
    expect(m.pageTypeWord(pfn) >>> 0, "untyped before").toBe(0xffff_ffff);
    fn(set)(page);
    expect(m.pageTypeWord(pfn) >>> 0, set).toBe(word);
    for (const [uname, fname, other] of BY_HAND) {
      const own = other === word;
      if (uname) expect(fn(`Page${uname}`)(page), `Page${uname} after ${set}`).toBe(own);
      expect(fn(`folio_test_${fname}`)(page), `folio_test_${fname} after ${set}`).toBe(own);
    }
    fn(clear)(page);
    expect(m.pageTypeWord(pfn) >>> 0, clear).toBe(0xffff_ffff);
  });
}

describe("PAGE_TYPE_OPS / FOLIO_TYPE_OPS accessors", () => {
  for (const [uname, fname, word] of BY_HAND) {
    if (uname) {
      it(`__SetPage${uname} writes 0x${word.toString(16)} and __ClearPage${uname} clears it`, () =>
        check(`__SetPage${uname}`, `__ClearPage${uname}`, word));
    }
    it(`__folio_set_${fname} writes 0x${word.toString(16)} and __folio_clear_${fname} clears it`, () =>
      check(`__folio_set_${fname}`, `__folio_clear_${fname}`, word));
  }
  it("hugetlb has no PageHugetlb/__SetPageHugetlb (FOLIO_TYPE_OPS only)", () => {
    expect(api.PageHugetlb).toBeUndefined();
    expect(api.__SetPageHugetlb).toBeUndefined();
  });
});

describe("OwnerBits asks the table's folioType column", () => {
  it("16 for the folio type hugetlb (mm_types.h), 24 for page types (page-flags.h)", () => {
    expectTypeOf<OwnerBits<"hugetlb">>().toEqualTypeOf<16>();
    expectTypeOf<OwnerBits<"zsmalloc">>().toEqualTypeOf<24>();
    expectTypeOf<OwnerBits<"table">>().toEqualTypeOf<24>();
  });
});
