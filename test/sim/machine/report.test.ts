import { describe, expect, it } from "vitest";
import { pageFlagBit } from "../../../src/model/index.js";
import {
  __GFP_COMP,
  dumpPageTypeName,
  formatPageFlags,
  GFP_KERNEL,
  Machine,
  type MachineViolationError,
  mappingOf,
  renderViolation,
} from "../../../src/sim/machine/index.js";
import { dumpLines } from "../../../src/sim/machine/report.js";
import type { PageSnapshot } from "../../../src/sim/machine/snapshot.js";

// Expected texts are written from the kernel's format strings (mm/page_alloc.c
// bad_page(), mm/debug.c __dump_folio(), lib/vsprintf.c %pGp, print_hex_dump
// with 32-byte rows of 8-byte groups), not from the machine's output.
describe("%pGp and page_type names", () => {
  it("prints flags in __def_pageflag_names order with node and zone", () => {
    // By hand from page-flags-layout.h under the model's config: node 0 at 54, ZONE_NORMAL (2) at 51
    // (ZONES_SHIFT 3 with ZONE_DEVICE), LAST_CPUPID (8 + NR_CPUS_BITS 13 = 21 bits, all ones after
    // page_cpupid_reset_last()) at 30: 0x0010000000000000 | 0x0007ffffc0000000.
    expect(formatPageFlags(0)).toBe("0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)");
    const f =
      (1 << pageFlagBit("PG_head")) | (1 << pageFlagBit("PG_locked")) | (1 << pageFlagBit("PG_waiters"));
    // locked (bit 0) and waiters (bit 7) come first in the table, head later.
    expect(formatPageFlags(f)).toBe(
      "0x17ffffc00000c1(locked|waiters|head|node=0|zone=2|lastcpupid=0x1fffff)",
    );
  });

  it("names page types as mm/debug.c's table does, gaps and all", () => {
    expect(dumpPageTypeName(0xf2000000)).toBe("table");
    expect(dumpPageTypeName(0xf0000000)).toBe("buddy");
    expect(dumpPageTypeName(0xf6000000)).toBe("(null)"); // zsmalloc: an empty slot
    expect(dumpPageTypeName(0xf8000000)).toBe("unknown"); // large_kmalloc: past the table
  });
});

describe("bad_page report", () => {
  it("renders the kernel's text for a page freed with PG_lru set", () => {
    const m = new Machine({ pages: 64, pcp: false, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_lru"));
    m.freePages("__free_pages", p, 0);
    const text = renderViolation(m.violations[0]!);
    expect(text.split("\n").slice(0, 6)).toEqual([
      "BUG: Bad page state in process memdesc  pfn:00000",
      "page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x0",
      "flags: 0x17ffffc0000020(lru|node=0|zone=2|lastcpupid=0x1fffff)",
      "raw: 0017ffffc0000020 dead000000000100 dead000000000122 0000000000000000",
      "raw: 0000000000000000 0000000000000000 00000000ffffffff 0000000000000000",
      "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set",
    ]);
    expect(text).toContain(
      "memdesc: MD016 bad-page-at-free: a page reaches the allocator in the state __free_pages_prepare() expects",
    );
    expect(text).toContain("memdesc: memdesc word 0x0000000000000020: Misc unknown order 0");
    expect(text).toContain("memdesc: the page is leaked: bad_page() leaves it off the free lists");
  });

  it("dumps a live folio's tail with the head line and the folio's first two struct pages", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    expect(h).toBe(0);
    expect(m.dumpPage(5).split("\n")).toEqual([
      "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x5 pfn:0x5",
      "head: order:3 mapcount:0 entire_mapcount:0 pincount:0",
      "flags: 0x17ffffc0000040(head|node=0|zone=2|lastcpupid=0x1fffff)",
      // page 5: compound_info = &page[0] | 1, lru.prev still points at itself (INIT_LIST_HEAD at boot), TAIL_MAPPING.
      "raw: 0017ffffc0000000 fffffffffffffe01 ffffea0000000148 dead000000000400",
      "raw: 0000000000000000 0000000000000000 00000000ffffffff 0000000000000000",
      // page[0]: PG_head, list_del() poison, refcount 1 over page_type UINT_MAX.
      "head: 0017ffffc0000040 dead000000000100 dead000000000122 0000000000000000",
      "head: 0000000000000000 0000000000000000 00000001ffffffff 0000000000000000",
      // page[1]: order 3 in _flags_1, _head_1, _large_mapcount -1, _entire_mapcount -1 / _pincount 0,
      // _mm_id_mapcount[0..1] -1, _mm_ids 0, _mapcount_1 -1 / _refcount_1 0, _nr_pages 8.
      "head: 0017ffffc0000003 fffffffffffffe01 00000000ffffffff 00000000ffffffff",
      "head: ffffffffffffffff 0000000000000000 00000000ffffffff 0000000000000008",
    ]);
  });

  it("dumps a bad tail on its own during the free: snapshot_page() cannot match it to its folio", () => {
    const m = new Machine({ pages: 64, pcp: false, onViolation: "collect", comm: "kworker/0:1" });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    m.setPageType("__SetPageTable", h, "table");
    m.setMapping("page->mapping", h + 5, mappingOf(9));
    m.freePages("__free_pages", h, 3);
    const v = m.violations[0]!;
    expect([v.rule, v.pfn, v.reason, v.unfaithful]).toEqual([
      "MD016",
      5,
      "corrupted mapping in tail page",
      true,
    ]);
    // __free_pages_prepare() cleared the order byte and _nr_pages before the
    // tail checks, so idx 5 > folio_nr_pages() = 0: the page is dumped alone,
    // compound_info cleared in the copy, its own mapping (mappingOf(9) = 36
    // shown at 0xffff889000000000 + 0x24) as folio_mapping().
    expect(renderViolation(v).split("\n").slice(0, 7)).toEqual([
      "BUG: Bad page state in process kworker/0:1  pfn:00005",
      "page does not match folio",
      "page: refcount:0 mapcount:0 mapping:ffff889000000024 index:0x0 pfn:0x5",
      "flags: 0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)",
      "raw: 0017ffffc0000000 0000000000000000 ffffea0000000148 ffff889000000024",
      "raw: 0000000000000000 0000000000000000 00000000ffffffff 0000000000000000",
      "page dumped because: corrupted mapping in tail page",
    ]);
  });

  it("dumps the head of a folio being freed with order 0 and no page type (already reset)", () => {
    const m = new Machine({ pages: 64, pcp: false, onViolation: "collect" });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.setPageType("__SetPageTable", h, "table");
    m.setFlag("set_bit", h, pageFlagBit("PG_private"));
    m.freePages("__free_pages", h, 2);
    const lines = renderViolation(m.violations[0]!).split("\n");
    // The head's page type was reset before its own check, PG_head is still set,
    // and page[1]'s order byte is already clear: folio_order() reads 0.
    expect(lines.slice(0, 4)).toEqual([
      "BUG: Bad page state in process memdesc  pfn:00000",
      "page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x0",
      "head: order:0 mapcount:0 entire_mapcount:0 pincount:0",
      // __def_pageflag_names lists private before head.
      "flags: 0x17ffffc0004040(private|head|node=0|zone=2|lastcpupid=0x1fffff)",
    ]);
    expect(lines).toContain("page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
    expect(lines.some((l) => l.startsWith("page_type:"))).toBe(false);
  });

  it("renders a VM_BUG_ON_PAGE with the condition as the dump reason", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageSlab", p, "slab");
    try {
      m.setPageType("__SetPageTable", p, "table");
      expect.unreachable();
    } catch (e) {
      const err = e as MachineViolationError;
      expect(err.message).toBe(
        "MD003 __SetPageTable: pfn 0x0 already has page type slab; a page has one type at a time",
      );
      const lines = err.report.split("\n");
      expect(lines).toContain("page_type: f5(slab)");
      expect(lines).toContain("page dumped because: VM_BUG_ON_PAGE(data_race(page->page_type) != UINT_MAX)");
      expect(lines).toContain("kernel BUG at include/linux/page-flags.h!");
    }
  });

  it("says so when the kernel itself reports nothing", () => {
    const m = new Machine({ pages: 16, pcp: false, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    m.putPage("put_page", p);
    const text = renderViolation(m.violations[0]!);
    expect(text.split("\n")[0]).toBe(
      "memdesc: MD009 in process memdesc  pfn:00000 (the kernel reports nothing here)",
    );
    expect(text).toContain("memdesc: expected order 1, got folio_order() = 0");
  });

  it("dumpPage renders a live page, anon prefix included", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setMapping("page->mapping", p, mappingOf(4, 1));
    expect(m.dumpPage(p, "test").split("\n")).toEqual([
      // folio_mapping() of an anon folio is NULL.
      "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x0",
      "anon flags: 0x17ffffc0000000(node=0|zone=2|lastcpupid=0x1fffff)",
      "raw: 0017ffffc0000000 dead000000000100 dead000000000122 ffff889000000011",
      "raw: 0000000000000000 0000000000000000 00000001ffffffff 0000000000000000",
      "page dumped because: test",
    ]);
  });
});

describe("dumpLines index", () => {
  const snap = (pfn: number, words: bigint[]): PageSnapshot => ({
    pfn,
    flags: 0,
    refcount: 1,
    pageType: 0xffff_ffff,
    mapcount: 0,
    private: 0,
    mapping: 0,
    state: "allocated",
    blockHead: false,
    order: null,
    compoundHead: 0x40,
    memdesc: 0n,
    memdescText: "",
    words,
  });
  it("prints folio->index + idx, as mm/debug.c @07bbc86c __dump_folio() does", () => {
    // A page-cache folio at file index 0x100 (head's __folio_index, word 4): its sixth page is index 0x105.
    const head = snap(0x40, [0n, 0n, 0n, 0n, 0x100n, 0n, 0n, 0n]);
    const second = snap(0x41, [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    const page = snap(0x45, [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(dumpLines(page, { order: 3, head, second })[0]).toBe(
      "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x105 pfn:0x45",
    );
    expect(dumpLines(head, { order: 3, head, second })[0]).toContain(" index:0x100 pfn:0x40");
  });
});
