/**
 * The kernel-named API on a simulated machine, checked against the kernel's
 * behaviour worked out by hand (include/linux/mm.h, mm/pgtable-generic.c,
 * include/linux/list.h, include/linux/gfp_types.h).
 */
import { describe, expect, it } from "vitest";
import { decodeMemdesc } from "../../../src/model/memdesc-word.js";
import { PAGE_TYPES } from "../../../src/model/page-type.js";
import * as sim from "../../../src/sim/index.js";
import {
  __free_pages,
  alloc_pages,
  define_page_type_owner_fields,
  flush_scheduled_work,
  folio_alloc,
  folio_nr_pages,
  folio_order,
  folio_put,
  GFP_KERNEL,
  GFP_PGTABLE_KERNEL,
  init_mm,
  LIST_HEAD,
  list_add,
  list_add_tail,
  list_del,
  list_empty,
  list_for_each_entry_safe,
  Machine,
  page_folio,
  page_memdesc,
  page_ptdesc,
  page_to_pfn,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_pte_ctor,
  ptdesc_page,
  ptdesc_set_kernel,
  ptdesc_test_kernel,
  pte_alloc_one_kernel,
  pte_free_kernel,
  runOn,
} from "../../../src/sim/index.js";

const machine = (opts: Partial<ConstructorParameters<typeof Machine>[0]> = {}) =>
  new Machine({ pages: 4096, onViolation: "collect", ...opts });

describe("GFP masks", () => {
  it("__GFP_COMP decides compound-ness at the call site (prep_new_page)", () => {
    const m = machine();
    runOn(m, () => {
      const plain = alloc_pages(GFP_KERNEL, 2)!;
      const comp = alloc_pages("GFP_KERNEL | __GFP_COMP", 2)!;
      expect(m.isHead(page_to_pfn(plain))).toBe(false);
      expect(m.isHead(page_to_pfn(comp))).toBe(true);
      expect(m.compoundOrder(page_to_pfn(comp))).toBe(2);
      __free_pages(plain, 2);
      __free_pages(comp, 2);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("folios", () => {
  it("folio_alloc is compound; page_folio of a tail is the head", () => {
    const m = machine();
    runOn(m, () => {
      const folio = folio_alloc(GFP_KERNEL, 3)!;
      expect(folio_order(folio)).toBe(3);
      expect(folio_nr_pages(folio)).toBe(8);
      const tail = sim.folio_page(folio, 5);
      expect(page_to_pfn(page_folio(tail))).toBe(sim.folio_pfn(folio));
      // Every page of the folio holds the same memdesc: a File pointer to one descriptor.
      const words = [0, 5, 7].map((i) => decodeMemdesc(page_memdesc(sim.folio_page(folio, i))));
      expect(words.every((w) => w.payload === "pointer" && w.entry.name === "File")).toBe(true);
      expect(new Set(words.map((w) => (w.payload === "pointer" ? w.address : 0n))).size).toBe(1);
      folio_put(folio);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.stats().freePages).toBe(4096);
  });
});

describe("folios on a node, and the IOMMU's ioptdesc casts (drivers/iommu/iommu-pages.h)", () => {
  it("folio_alloc_node adds __GFP_COMP; virt_to_ioptdesc/ioptdesc_folio reach the same folio; folio_put frees it all", () => {
    const m = machine();
    runOn(m, () => {
      // iommu_alloc_pages_node_sz(nid, GFP_KERNEL, 16 KiB): order 2
      const folio = sim.folio_alloc_node(GFP_KERNEL | sim.__GFP_ZERO, 2, -1)!;
      expect(sim.PageHead(sim.folio_page(folio, 0))).toBe(true);
      expect(sim.PageTail(sim.folio_page(folio, 3))).toBe(true);
      const virt = sim.folio_address(sim.folio_ioptdesc(folio));
      const again = sim.ioptdesc_folio(sim.virt_to_ioptdesc(virt));
      expect(sim.folio_pfn(again)).toBe(sim.folio_pfn(folio));
      expect(folio_nr_pages(again)).toBe(4);
      folio_put(again);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.stats().freePages).toBe(4096);
  });
  it("cpu_to_node is node 0 on the one-node machine (asm-generic/topology.h without NUMA); MAX_PAGE_ORDER is 10", () => {
    expect([0, 1, 63].map((cpu) => sim.cpu_to_node(cpu))).toEqual([0, 0, 0]);
    expect(() => sim.cpu_to_node(-1)).toThrow(/no CPU -1/);
    expect(sim.MAX_PAGE_ORDER).toBe(10);
    const m = machine();
    runOn(m, () => {
      expect(alloc_pages(GFP_KERNEL, sim.MAX_PAGE_ORDER + 1)).toBeNull();
    });
  });
});

describe("lists over struct page's word 1/2", () => {
  it("list_add is LIFO, list_add_tail FIFO; iteration survives list_del of the current entry", () => {
    const m = machine();
    runOn(m, () => {
      const head = LIST_HEAD();
      const pts = [0, 1, 2].map(() => pagetable_alloc("GFP_PGTABLE_USER", 0)!);
      list_add(pts[0]!.pt_list, head);
      list_add(pts[1]!.pt_list, head);
      list_add_tail(pts[2]!.pt_list, head);
      const order: number[] = [];
      for (const pt of list_for_each_entry_safe(head, "ptdesc", "pt_list")) {
        order.push(page_to_pfn(ptdesc_page(pt)));
        list_del(pt.pt_list);
      }
      expect(order).toEqual([1, 0, 2].map((i) => page_to_pfn(ptdesc_page(pts[i]!))));
      expect(list_empty(head)).toBe(true);
      for (const pt of pts) sim.pagetable_free(pt);
    });
    expect(m.takeViolations()).toEqual([]);
  });
  it("page->lru and ptdesc->pt_list are the same words (the overlay)", () => {
    const m = machine();
    runOn(m, () => {
      const head = LIST_HEAD();
      const pt = pagetable_alloc("GFP_PGTABLE_USER", 0)!;
      list_add(ptdesc_page(pt).lru, head);
      const [via] = [...list_for_each_entry_safe(head, "ptdesc", "pt_list")];
      expect(page_to_pfn(ptdesc_page(via!))).toBe(page_to_pfn(ptdesc_page(pt)));
      list_del(pt.pt_list);
      sim.pagetable_free(pt);
    });
  });
});

describe("page tables and the deferred freeing of kernel page tables", () => {
  it("pte_alloc_one_kernel marks PT_kernel (PG_referenced) and constructs the table (PGTY_table)", () => {
    const m = machine();
    runOn(m, () => {
      const pte = pte_alloc_one_kernel(init_mm)!;
      const pt = sim.virt_to_ptdesc(pte);
      expect(ptdesc_test_kernel(pt)).toBe(true);
      expect(sim.PageTable(ptdesc_page(pt))).toBe(true);
      expect(m.flags(page_to_pfn(ptdesc_page(pt))) & (1 << 2)).toBe(1 << 2);
      pte_free_kernel(init_mm, pte);
    });
  });
  it("without CONFIG_ASYNC_KERNEL_PGTABLE_FREE the table is freed at once; with it, only after the worker", () => {
    for (const async of [false, true]) {
      const m = machine({ asyncKernelPgtableFree: async, iommuSva: true });
      runOn(m, () => {
        const pte = pte_alloc_one_kernel(init_mm)!;
        pte_free_kernel(init_mm, pte);
        expect(m.stats().freePages, `async=${async}`).toBe(async ? 4095 : 4096);
        flush_scheduled_work();
        expect(m.stats().freePages).toBe(4096);
      });
    }
  });
  it("the IOMMU hazard: reuse before invalidation is MD017 without deferral, nothing with it", () => {
    const found: Record<string, string[]> = {};
    for (const async of [false, true]) {
      const m = machine({ asyncKernelPgtableFree: async, iommuSva: true });
      runOn(m, () => {
        const pte = pte_alloc_one_kernel(init_mm)!;
        pte_free_kernel(init_mm, pte);
        const p = sim.alloc_page(GFP_KERNEL);
        flush_scheduled_work();
        if (p) sim.__free_page(p);
      });
      found[String(async)] = m.takeViolations().map((v) => v.rule);
    }
    expect(found).toEqual({ false: ["MD017"], true: [] });
  });
  it("without an IOMMU there is no hazard to report", () => {
    const m = machine({ asyncKernelPgtableFree: false, iommuSva: false });
    runOn(m, () => {
      const pte = pte_alloc_one_kernel(init_mm)!;
      pte_free_kernel(init_mm, pte);
      const p = sim.alloc_page(GFP_KERNEL);
      if (p) sim.__free_page(p);
    });
    expect(m.takeViolations()).toEqual([]);
  });
  it("run-time lifecycle checks: dtor of an unconstructed table (MD011); converting plain memory (MD006)", () => {
    const m = machine();
    runOn(m, () => {
      const pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0)!;
      ptdesc_set_kernel(pt);
      const untyped = pt as unknown as sim.Ptdesc; // the compiler no longer knows its state
      pagetable_dtor_free(untyped);
      const page = alloc_pages(GFP_KERNEL, 0)!;
      page_ptdesc(page as unknown as sim.Page);
      sim.__free_pages(page, 0);
    });
    expect(m.takeViolations().map((v) => v.rule)).toEqual(["MD011", "MD006"]);
  });
  it("a constructed table: PGTY_table set by the ctor, cleared by the dtor", () => {
    const m = machine();
    runOn(m, () => {
      const pt = pagetable_alloc("GFP_PGTABLE_USER", 0)!;
      if (!pagetable_pte_ctor(sim.mm_alloc(), pt)) throw new Error("pagetable_pte_ctor failed");
      const pfn = page_to_pfn(ptdesc_page(pt));
      expect(m.pageTypeWord(pfn) >>> 24).toBe(0xf2);
      sim.pagetable_dtor(pt);
      expect(m.pageTypeWord(pfn)).toBe(0xffff_ffff);
      sim.pagetable_free(pt);
    });
    expect(m.takeViolations()).toEqual([]);
  });
});

describe("page_type owner fields (MD005 at run time)", () => {
  it("zsmalloc's first_obj_offset reads and writes the low 24 bits of a typed page", () => {
    const m = machine();
    const fields = define_page_type_owner_fields("zsmalloc", { first_obj_offset: [0, 24] });
    runOn(m, () => {
      const z = sim.alloc_zpdesc(GFP_KERNEL, 0)!;
      const page = sim.zpdesc_page(z);
      sim.__SetPageZsmalloc(page);
      fields.set(z, "first_obj_offset", 0x12_3456);
      expect(m.pageTypeWord(page_to_pfn(page))).toBe(0xf612_3456);
      expect(fields.get(page, "first_obj_offset")).toBe(0x12_3456);
      expect(() => fields.set(z, "first_obj_offset", 1 << 24)).toThrow("does not fit in 24 bits");
      sim.free_zpdesc(z);
    });
  });
  it("overlapping or too-wide fields throw when defined, naming the bits", () => {
    const overlap: Record<string, readonly [number, number]> = { a: [0, 16], b: [8, 16] };
    expect(() => define_page_type_owner_fields("zsmalloc", overlap as never)).toThrow(
      "MD005 define_page_type_owner_fields: page_type owner field 'a' (bits 0–15) overlaps field 'b' (bits 8–23) at bits 8–15",
    );
    const wide: Record<string, readonly [number, number]> = { a: [0, 20] };
    expect(() => define_page_type_owner_fields("hugetlb", wide as never)).toThrow(
      "page_type owner field 'a' (bits 0–19) overlaps the bits above the low 16 at bits 16–19",
    );
  });
});

describe("the API follows the tables", () => {
  it("every page type with a uname has PageX, __SetPageX and __ClearPageX; folio types their folio_ forms", () => {
    const api = sim as Record<string, unknown>;
    for (const t of PAGE_TYPES) {
      if (t.uname) {
        for (const f of [`Page${t.uname}`, `__SetPage${t.uname}`, `__ClearPage${t.uname}`])
          expect(typeof api[f], f).toBe("function");
      } else {
        for (const f of [`folio_test_${t.fname}`, `__folio_set_${t.fname}`, `__folio_clear_${t.fname}`]) {
          expect(typeof api[f], f).toBe("function");
        }
      }
    }
  });
});
