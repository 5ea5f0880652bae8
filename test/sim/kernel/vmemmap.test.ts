/**
 * vmemmap_populate() / vmemmap_free() as arch/x86/mm/init_64.c has them, with the blocks worked
 * out by hand: one section's memmap is PAGES_PER_SECTION (2^15) * 64 bytes = 2 MiB, so it is
 * mapped by one PMD-sized block (vmemmap_alloc_block(PMD_SIZE): order 9, non-compound) and freed
 * at order 9; a smaller range is mapped page by page and freed at order 0; boot memory
 * (PageReserved) goes back through free_reserved_pages().
 */
import { describe, expect, it } from "vitest";
import {
  Machine,
  PAGES_PER_SECTION,
  PageReserved,
  pfn_to_page,
  runOn,
  SetPageReserved,
  VMEMMAP_START,
  vmemmap_free,
  vmemmap_populate,
} from "../../../src/sim/index.js";

const machine = () => new Machine({ pages: 4096, onViolation: "collect" });
const base = BigInt(VMEMMAP_START);
const SECTION_MEMMAP = 2n * 1024n * 1024n; // 2^15 struct pages * 64 bytes

describe("vmemmap_populate / vmemmap_free (arch/x86/mm/init_64.c)", () => {
  it("a section's memmap: one order-9 block, freed whole at order 9", () => {
    const m = machine();
    expect(BigInt(PAGES_PER_SECTION) * 64n).toBe(SECTION_MEMMAP);
    runOn(m, () => {
      expect(vmemmap_populate(base, base + SECTION_MEMMAP, 0, null)).toBe(0);
      expect(m.ledger().allocations.map((a) => [a.order, a.compound])).toEqual([[9, false]]);
      vmemmap_free(base, base + SECTION_MEMMAP, null);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("a range below one section's memmap: base pages, freed at order 0", () => {
    const m = machine();
    runOn(m, () => {
      expect(vmemmap_populate(base, base + 3n * 4096n, 0, null)).toBe(0);
      expect(m.ledger().allocations.map((a) => a.order)).toEqual([0, 0, 0]);
      vmemmap_free(base + 4096n, base + 3n * 4096n, null); // the last two
      expect(m.ledger().allocations.map((a) => a.order)).toEqual([0]);
      vmemmap_free(base, base + 4096n, null);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("a PMD block the range covers only in part stays mapped", () => {
    const m = machine();
    runOn(m, () => {
      vmemmap_populate(base, base + SECTION_MEMMAP, 0, null);
      vmemmap_free(base, base + SECTION_MEMMAP / 2n, null); // next = end, not PMD-aligned
      expect(m.ledger().allocations.map((a) => a.order)).toEqual([9]);
      vmemmap_free(base, base + SECTION_MEMMAP, null);
    });
    expect(m.ledger().allocations).toEqual([]);
  });
  it("boot memory (PageReserved) goes back through free_reserved_pages(): the flag is cleared first", () => {
    const m = machine();
    let pfn = -1;
    runOn(m, () => {
      vmemmap_populate(base, base + 4096n, 0, null);
      pfn = m.ledger().allocations[0]!.pfn;
      SetPageReserved(pfn_to_page(pfn));
      vmemmap_free(base, base + 4096n, null);
      expect(PageReserved(pfn_to_page(pfn))).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("VM_BUG_ON(!PAGE_ALIGNED(start))", () => {
    runOn(machine(), () => {
      expect(() => vmemmap_free(base + 64n, base + 4096n, null)).toThrow(
        /VM_BUG_ON\(!PAGE_ALIGNED\(start\)\)/,
      );
    });
  });
});
