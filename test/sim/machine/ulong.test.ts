/**
 * Issue 8 item 5: every pointer- or long-sized field of the simulated struct
 * page (and of the descriptors that overlay it) holds any 64-bit value, so
 * `page->mapping = inode->i_mapping` with a kernel pointer is stored, not a
 * RangeError, and the free-time check that follows reports what the kernel
 * would (decision 0220).
 */
import { describe, expect, it } from "vitest";
import { LAYOUT_STRUCTS, LAYOUTS } from "../../../src/model/layouts/index.js";
import { STAGES } from "../../../src/model/stage.js";
import { __free_page, alloc_page, GFP_KERNEL, runOn } from "../../../src/sim/index.js";
import { kobject, pfnOf } from "../../../src/sim/kernel/objects.js";
import { Machine } from "../../../src/sim/machine/index.js";

/** A kernel pointer into the direct map (x86-64 PAGE_OFFSET 0xffff888000000000), exact only as a bigint. */
const KPTR = 0xffff_8880_1234_5678n;
const U64_MAX = 2n ** 64n - 1n;
const collect = () => new Machine({ pages: 64, onViolation: "collect" });

describe("the machine's 64-bit columns (private, mapping)", () => {
  const fields = [
    { name: "private", read: (m: Machine, p: number) => m.private(p), write: "setPrivate" },
    { name: "mapping", read: (m: Machine, p: number) => m.mapping(p), write: "setMapping" },
  ] as const;

  for (const f of fields) {
    it(`${f.name}: 0xffff888012345678n, 2^64 - 1 and 0 read back as written`, () => {
      const m = collect();
      const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
      for (const v of [KPTR, U64_MAX]) {
        m[f.write]("test", p, v);
        expect(f.read(m, p)).toBe(v);
      }
      m[f.write]("test", p, 0);
      expect(f.read(m, p)).toBe(0);
      // A number comes back the same number: 0xffff888012345678 as a double is 0xffff888012345800.
      m[f.write]("test", p, 0xffff_8880_1234_5800);
      expect(f.read(m, p)).toBe(Number(0xffff_8880_1234_5800n));
      m[f.write]("test", p, 0x1234);
      expect(f.read(m, p)).toBe(0x1234);
      expect(m.takeViolations()).toEqual([]);
    });

    it(`${f.name}: what no unsigned long holds is a RangeError, and the page keeps its value`, () => {
      const m = collect();
      const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
      m[f.write]("test", p, 7);
      for (const bad of [-1, 1.5, 2 ** 64, -1n, 2n ** 64n])
        expect(() => m[f.write]("test", p, bad)).toThrow(`${f.name} ${bad} is not a 64-bit unsigned value`);
      expect(() => m[f.write]("test", p, 2 ** 64)).toThrow("write it as a bigint");
      expect(f.read(m, p)).toBe(7);
    });
  }

  it("the today view shows both as the 64-bit words of struct page (word 3 mapping, word 5 private)", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setMapping("test", p, KPTR);
    m.setPrivate("test", p, U64_MAX);
    const view = m.structPage(p);
    expect(view.words[3]).toBe(KPTR);
    expect(view.words[5]).toBe(U64_MAX);
    expect([view.mapping, view.private]).toEqual([KPTR, U64_MAX]);
  });
});

describe("every pointer- and long-sized member of every struct, through the kernel API's handles", () => {
  // Computed members (compound_info from word 1, pfn from the handle) have no setter, as in C
  // they are not stored fields of the handle's page.
  const READ_ONLY = new Set(["page.compound_info", "folio.pfn", "ptdesc.pfn", "slab.pfn", "zpdesc.pfn"]);
  const members = LAYOUT_STRUCTS.flatMap((struct) => {
    const names = new Set<string>();
    for (const stage of STAGES)
      for (const f of LAYOUTS[stage][struct].fields)
        if (f.ts === "pointer" || f.ts === "ulong" || f.ts === "atomic_long") names.add(f.name);
    return [...names].map((name) => ({ struct, name }));
  });

  it("covers mapping, private, index, memcg_data and pp", () => {
    const keys = members.map((x) => `${x.struct}.${x.name}`);
    for (const k of ["page.mapping", "page.private", "page.__folio_index", "page.memcg_data", "page.pp"])
      expect(keys).toContain(k);
    expect(keys.filter((k) => READ_ONLY.has(k)).sort()).toEqual([...READ_ONLY].sort());
  });

  for (const { struct, name } of members) {
    if (READ_ONLY.has(`${struct}.${name}`)) continue;
    it(`${struct}->${name} = 0xffff888012345678n, 2^64 - 1, 0`, () => {
      const m = collect();
      runOn(m, () => {
        const page = alloc_page(GFP_KERNEL)!;
        const handle = kobject(struct, pfnOf(page)) as never as Record<string, unknown>;
        for (const v of [KPTR, U64_MAX]) {
          handle[name] = v;
          expect(handle[name]).toBe(v);
        }
        handle[name] = 0;
        // A NULL ->mapping reads as null, the kernel API's NULL; every other member as 0.
        expect(handle[name]).toBe(name === "mapping" ? null : 0);
        __free_page(page);
      });
      expect(m.takeViolations()).toEqual([]);
    });
  }
});

describe("page->mapping = inode->i_mapping, then the page is freed", () => {
  // mm/page_alloc.c (linux-mm/linux-mm): __free_pages_prepare() -> free_page_is_bad() ->
  // page_expected_state() fails on `(unsigned long)page->mapping | …`, and
  // free_page_is_bad_report() -> bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE)):
  // _mapcount is -1, _refcount is 0 after put_page_testzero(), no flag of the mask is set, so the
  // last reason page_bad_reason() sets is "non-NULL mapping". bad_page() leaves the page alone
  // (it is never freed): the ledger counts it as leaked.
  for (const [what, pointer] of [
    ["a bigint", KPTR],
    ["a number", 0xffff_8880_1234_5800],
  ] as const) {
    it(`reports MD016 "non-NULL mapping" (kernel pointer as ${what}), not a RangeError`, () => {
      const m = collect();
      let pfn = -1;
      runOn(m, () => {
        const page = alloc_page(GFP_KERNEL)!;
        pfn = pfnOf(page);
        (page as never as { mapping: unknown }).mapping = pointer;
        __free_page(page);
      });
      const found = m.takeViolations();
      expect(found.map((v) => [v.rule, v.op, v.pfn, v.reason])).toEqual([
        ["MD016", "__free_page", pfn, "non-NULL mapping"],
      ]);
      // dump_page() shows the pointer the kernel code stored, in its mapping line and in raw word 3.
      const hex = BigInt(pointer).toString(16);
      expect(m.dumpPage(pfn)).toContain(`mapping:${hex} index:0x0`);
      const firstRaw = m
        .dumpPage(pfn)
        .split("\n")
        .find((line) => line.startsWith("raw: "));
      expect(firstRaw?.split(" ")[4]).toBe(hex);
      expect(m.pageState(pfn)).toBe("leaked");
      expect(m.ledger().leaked.map((b) => [b.pfn, b.order, b.reason])).toEqual([[pfn, 0, "bad_page"]]);
    });
  }
});
