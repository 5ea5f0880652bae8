/**
 * Page-table allocation and installation (include/asm-generic/pgalloc.h,
 * arch/x86/include/asm/pgalloc.h, arch/x86/mm/pgtable.c, mm/memory.c) and what
 * installing does for MD017: a kernel table is an IOMMU hazard once installed
 * where the IOMMU walks it (init_mm), or once its address escapes (__pa), and
 * never when provably never installed (issue 8, decision 0211).
 */
import { describe, expect, it } from "vitest";
import {
  __free_page,
  __pa,
  __pmd,
  __pte_alloc,
  __pte_alloc_kernel,
  __pte_alloc_one,
  _KERNPG_TABLE,
  _PAGE_PSE,
  alloc_low_pages,
  alloc_page,
  free_pages,
  GFP_KERNEL,
  GFP_PGTABLE_KERNEL,
  get_zeroed_page,
  init_mm,
  iommu_sva_invalidate_kva_range,
  Machine,
  mm_alloc,
  PAGE_OFFSET,
  p4d_alloc_one,
  p4d_free,
  p4d_populate,
  page_to_pfn,
  pgd_alloc,
  pgd_free,
  pmd_free_pte_page,
  pmd_leaf,
  pmd_none,
  pmd_page,
  pmd_populate,
  pmd_populate_kernel,
  pmdp_get,
  pte_alloc_one,
  pte_free,
  pud_alloc_one,
  pud_free,
  pud_free_pmd_page,
  pud_populate,
  runOn,
  set_pmd,
  TLB_FLUSH_ALL,
  virt_to_page,
  virt_to_pfn,
} from "../../../src/sim/index.js";

const machine = (iommuSva = false) => new Machine({ pages: 2048, onViolation: "collect", iommuSva });

describe("allocators of each level", () => {
  it("pgd/p4d/pud tables: constructed, PT_kernel for init_mm, freed clean", () => {
    const m = machine();
    runOn(m, () => {
      const pgd = pgd_alloc(init_mm)!;
      const p4d = p4d_alloc_one(init_mm, 0)!;
      const pud = pud_alloc_one(mm_alloc(), 0)!;
      for (const t of [pgd, p4d, pud]) expect(m.ptdescState(virt_to_pfn(t))).toBe("constructed");
      pgd_free(init_mm, pgd);
      p4d_free(init_mm, p4d);
      pud_free(init_mm, pud);
      const again = pgd_alloc(init_mm)!;
      expect(() => pgd_free(init_mm, again + 0x800)).toThrow("kernel BUG: pgd_free: BUG_ON");
      pgd_free(init_mm, again);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("installing a table", () => {
  it("a kernel table allocated and never installed is not reachable; pmd_populate_kernel makes it so", () => {
    const m = machine();
    runOn(m, () => {
      const pmdTable = BigInt(pud_alloc_one(init_mm, 0)!); // a page whose entries we write
      const pte = __pte_alloc_one(init_mm, GFP_PGTABLE_KERNEL)!;
      const pfn = page_to_pfn(pte);
      expect(m.pgtableReachable(pfn)).toBe(false);
      pmd_populate_kernel(init_mm, pmdTable + 8n, 0xffff888000000000 + pfn * 4096);
      expect(m.pgtableReachable(pfn)).toBe(true);
      expect(page_to_pfn(pmd_page(pmdp_get(pmdTable + 8n)))).toBe(pfn);
      expect(pmd_none(pmdp_get(pmdTable + 16n))).toBe(true);
    });
  });
  it("into a user mm it is not reachable for the kernel's IOMMU hazard", () => {
    const m = machine();
    runOn(m, () => {
      const mm = mm_alloc();
      const pmdTable = BigInt(pud_alloc_one(mm, 0)!);
      const pte = pte_alloc_one(mm)!;
      pmd_populate(mm, pmdTable, pte);
      expect(m.pgtableReachable(page_to_pfn(pte))).toBe(false);
    });
  });
  it("an entry built by hand from __pa() counts as reachable (the address escaped)", () => {
    const m = machine();
    runOn(m, () => {
      const pte = __pte_alloc_one(init_mm, GFP_PGTABLE_KERNEL)!;
      const pfn = page_to_pfn(pte);
      set_pmd(0xffff888000001000n, __pmd(__pa(0xffff888000000000 + pfn * 4096) | _KERNPG_TABLE));
      expect(m.pgtableReachable(pfn)).toBe(true);
      expect(pmdp_get(0xffff888000001000n).pmd).toBe(BigInt(pfn * 4096 + 0x63));
    });
  });
  it("pud_populate / p4d_populate into init_mm mark the lower table reachable", () => {
    const m = machine();
    runOn(m, () => {
      const top = BigInt(p4d_alloc_one(init_mm, 0)!);
      const pud = pud_alloc_one(init_mm, 0)!;
      const pmd = __pte_alloc_one(init_mm, GFP_PGTABLE_KERNEL)!; // any unreached table page
      p4d_populate(init_mm, top, pud);
      pud_populate(init_mm, top + 8n, 0xffff888000000000 + page_to_pfn(pmd) * 4096);
      expect(m.pgtableReachable(virt_to_pfn(pud))).toBe(true);
      expect(m.pgtableReachable(page_to_pfn(pmd))).toBe(true);
    });
  });
});

describe("__pte_alloc: install or free (mm/memory.c pmd_install)", () => {
  it("populates an empty entry; frees the new table when another got there first", () => {
    const m = machine();
    runOn(m, () => {
      const mm = mm_alloc();
      const entry = BigInt(pud_alloc_one(mm, 0)!);
      expect(__pte_alloc(mm, entry)).toBe(0);
      const first = pmdp_get(entry).pmd;
      // pmd_populate(): __pmd(page_to_pfn(pte) << PAGE_SHIFT | _PAGE_TABLE), _PAGE_TABLE = 0x63 | _PAGE_USER (4).
      expect(first & 0xfffn).toBe(0x67n);
      const before = m.ledger().allocations.length;
      expect(__pte_alloc(mm, entry)).toBe(0); // the entry is taken: pte_free(mm, new)
      expect(pmdp_get(entry).pmd).toBe(first);
      expect(m.ledger().allocations.length).toBe(before);
      const kentry = BigInt(pud_alloc_one(init_mm, 0)!);
      expect(__pte_alloc_kernel(kentry)).toBe(0);
      expect(m.pgtableReachable(page_to_pfn(pmd_page(pmdp_get(kentry))))).toBe(true);
    });
    expect(m.takeViolations()).toEqual([]);
  });
});

describe("pmd_free_pte_page / pud_free_pmd_page and MD017", () => {
  it("an installed kernel PTE table freed without an IOMMU invalidation is MD017 on reuse", () => {
    const m = machine(true);
    runOn(m, () => {
      const entry = BigInt(pud_alloc_one(init_mm, 0)!);
      __pte_alloc_kernel(entry);
      const pfn = page_to_pfn(pmd_page(pmdp_get(entry)));
      expect(pmd_free_pte_page(entry, 0)).toBe(1);
      expect(pmd_none(pmdp_get(entry))).toBe(true);
      expect(m.isAllocated(pfn)).toBe(false);
      for (let i = 0; i < 64; i++) alloc_page(GFP_KERNEL); // reuse the freed frame
    });
    expect(m.takeViolations().map((v) => v.rule)).toContain("MD017");
  });
  it("a kernel table never installed and freed is no hazard", () => {
    const m = machine(true);
    runOn(m, () => {
      const pte = __pte_alloc_one(init_mm, GFP_PGTABLE_KERNEL)!;
      const pfn = page_to_pfn(pte);
      // split_large_page()'s lost race: the table is freed without ever being installed.
      pte_free(init_mm, pte);
      expect(m.isAllocated(pfn)).toBe(false);
      for (let i = 0; i < 64; i++) alloc_page(GFP_KERNEL);
    });
    expect(m.takeViolations().map((v) => v.rule)).not.toContain("MD017");
  });
  it("pud_free_pmd_page frees the PTE tables, the save page and the PMD table", () => {
    const m = machine();
    runOn(m, () => {
      const top = BigInt(pud_alloc_one(init_mm, 0)!);
      const pmd = __pte_alloc_one(init_mm, GFP_PGTABLE_KERNEL)!; // stands for the PMD table
      const pmdVa = BigInt(0xffff888000000000 + page_to_pfn(pmd) * 4096);
      pud_populate(init_mm, top, Number(pmdVa));
      __pte_alloc_kernel(pmdVa + 8n);
      __pte_alloc_kernel(pmdVa + 16n);
      const before = m.ledger().allocations.length;
      expect(pud_free_pmd_page(top, 0)).toBe(1);
      // Two PTE tables and the PMD table gone; the save page came and went.
      expect(m.ledger().allocations.length).toBe(before - 3);
    });
    expect(m.takeViolations()).toEqual([]);
  });
});

// A direct-map table from alloc_low_pages() carries no PT_kernel mark, so nothing in its struct page
// says it is a page table; given back with the page allocator's own free functions before an IOMMU
// invalidation it is as stale as one freed through pagetable_free() (iommu-sva design 1's worker:
// __free_page(ptdesc_page(ptdesc)), Baolu's 23 Aug 2025 draft; decision 0609).
describe("a kernel table freed with __free_page()/free_pages()", () => {
  const freeAndReuse = (free: (addr: number) => void, invalidate: boolean) => {
    const m = machine(true);
    runOn(m, () => {
      const table = alloc_low_pages(1);
      if (!table) throw new Error("no table");
      free(table);
      if (invalidate) iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);
      const again = get_zeroed_page(GFP_KERNEL);
      expect(again).toBe(table); // per-CPU lists are LIFO
    });
    return m.violations.map((v) => v.rule);
  };
  it("is handed out stale with no invalidation in between (MD017), by either free function", () => {
    expect(freeAndReuse((a) => __free_page(virt_to_page(a)), false)).toEqual(["MD017"]);
    expect(freeAndReuse((a) => free_pages(a, 0), false)).toEqual(["MD017"]);
  });
  it("is quiet once the IOMMU was invalidated", () => {
    expect(freeAndReuse((a) => __free_page(virt_to_page(a)), true)).toEqual([]);
  });
  it("a page that was never a kernel table is quiet", () => {
    const m = machine(true);
    runOn(m, () => {
      const p = get_zeroed_page(GFP_KERNEL);
      if (p) free_pages(p, 0);
      get_zeroed_page(GFP_KERNEL);
    });
    expect(m.violations).toEqual([]);
  });
});

describe("pmd_leaf (arch/x86/include/asm/pgtable.h: pmd_flags(pte) & _PAGE_PSE)", () => {
  it("a 2 MiB leaf has _PAGE_PSE (0x80); a table entry and an empty entry do not", () => {
    expect(_PAGE_PSE).toBe(0x80);
    expect(pmd_leaf(__pmd(0x2000_0000n | 0x80n | 0x63n))).toBe(true);
    expect(pmd_leaf(__pmd(0x1000n | BigInt(_KERNPG_TABLE)))).toBe(false);
    expect(pmd_leaf(__pmd(0))).toBe(false);
  });
});
