/**
 * The page_ref_* / folio_ref_* family and set_page_refcounted() on a simulated machine, with
 * the counts worked out by hand from include/linux/page_ref.h and mm/internal.h: a page from
 * alloc_page() starts at 1 (prep_new_page -> set_page_refcounted), each call moves it by the
 * amount the kernel's atomic op does, and nothing is freed when a count reaches 0.
 */
import { describe, expect, it } from "vitest";
import {
  __free_page,
  alloc_page,
  folio_alloc,
  folio_page,
  folio_ref_add,
  folio_ref_count,
  folio_ref_dec_and_test,
  folio_ref_sub_and_test,
  folio_ref_sub_return,
  folio_try_get,
  free_frozen_pages,
  GFP_KERNEL,
  Machine,
  page_ref_add,
  page_ref_add_unless,
  page_ref_count,
  page_ref_dec,
  page_ref_dec_and_test,
  page_ref_dec_return,
  page_ref_inc,
  page_ref_inc_return,
  page_ref_sub,
  page_ref_sub_and_test,
  page_to_pfn,
  runOn,
  set_page_count,
  set_page_refcounted,
} from "../../../src/sim/index.js";

const machine = () => new Machine({ pages: 1024, onViolation: "collect" });

describe("page_ref_* (include/linux/page_ref.h)", () => {
  it("move the page's own _refcount as the atomic ops do; zero frees nothing", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      const pfn = page_to_pfn(page);
      const seen: number[] = [page_ref_count(page)]; // 1
      page_ref_add(page, 3); // 4
      seen.push(page_ref_count(page));
      page_ref_sub(page, 2); // 2
      seen.push(page_ref_count(page));
      page_ref_inc(page); // 3
      seen.push(page_ref_count(page));
      page_ref_dec(page); // 2
      seen.push(page_ref_count(page));
      seen.push(page_ref_inc_return(page)); // 3
      seen.push(page_ref_dec_return(page)); // 2
      expect(seen).toEqual([1, 4, 2, 3, 2, 3, 2]);
      expect(page_ref_sub_and_test(page, 1)).toBe(0); // 2 - 1 = 1
      expect(page_ref_dec_and_test(page)).toBe(1); // 1 - 1 = 0
      expect(m.isAllocated(pfn)).toBe(true); // the test does not free
      expect(page_ref_add_unless(page, 1, 0)).toBe(false); // count is 0 == u
      expect(page_ref_count(page)).toBe(0);
      set_page_refcounted(page); // 0 -> 1
      expect(page_ref_add_unless(page, 1, 0)).toBe(true); // 1 != 0 -> 2
      expect(page_ref_count(page)).toBe(2);
      set_page_count(page, 1);
      __free_page(page);
      expect(m.isAllocated(pfn)).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("page_ref_dec_and_test() then free_frozen_pages(): the put_page_testzero() pattern", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      if (page_ref_dec_and_test(page)) free_frozen_pages(page, 0);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("set_page_refcounted() is a kernel BUG on a referenced page and on a tail page", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      expect(() => set_page_refcounted(page)).toThrow(/VM_BUG_ON_PAGE\(page_ref_count\(page\)\).*refcount 1/);
      __free_page(page);
      const folio = folio_alloc(GFP_KERNEL, 1)!;
      expect(() => set_page_refcounted(folio_page(folio, 1))).toThrow(/VM_BUG_ON_PAGE\(PageTail\(page\)\)/);
    });
  });
  it("on a free page: MD015 (use after free)", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      const again = page;
      __free_page(page);
      page_ref_inc(again);
    });
    expect(m.takeViolations().map((v) => [v.rule, v.op])).toEqual([["MD015", "page_ref_inc"]]);
  });
});

describe("folio_ref_* (include/linux/page_ref.h)", () => {
  it("count the folio's references; folio_try_get() fails at zero", () => {
    const m = machine();
    runOn(m, () => {
      const folio = folio_alloc(GFP_KERNEL, 2)!;
      expect(folio_ref_count(folio)).toBe(1);
      folio_ref_add(folio, 2); // 3
      expect(folio_ref_sub_return(folio, 1)).toBe(2);
      expect(folio_try_get(folio)).toBe(true); // 3
      expect(folio_ref_sub_and_test(folio, 2)).toBe(0); // 1
      expect(folio_ref_dec_and_test(folio)).toBe(1); // 0
      expect(folio_try_get(folio)).toBe(false);
      free_frozen_pages(folio_page(folio, 0), 2);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
