import { describe, expect, it } from "vitest";
import {
  __GFP_COMP,
  GFP_KERNEL,
  Machine,
  type MachineViolationError,
} from "../../../src/sim/machine/index.js";

// The 2025 IOTLB hazard (MD017): with an SVA-bound IOMMU, a freed kernel
// page-table page must not be handed out again before
// iommu_sva_invalidate_kva_range() runs.
describe("stale IOTLB marks", () => {
  const setup = (iommuSva: boolean) => {
    const m = new Machine({ pages: 64, pcp: false, iommuSva, onViolation: "collect" });
    const pt = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 0);
    m.freePages("__free_pages", pt, 0);
    m.markStaleIotlb("__pagetable_free", pt, 1);
    return { m, pt };
  };

  it("reports an allocation that hands out a marked page (MD017) and still hands it out", () => {
    const { m, pt } = setup(true);
    expect(m.stats().staleIotlbPages).toBe(1);
    const again = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    expect(again).toBe(pt);
    expect(m.violations.map((v) => [v.rule, v.pfn, v.outcome])).toEqual([["MD017", pt, "performed"]]);
  });

  it("is quiet once the IOMMU was invalidated", () => {
    const { m, pt } = setup(true);
    m.iommuInvalidateAll("iommu_sva_invalidate_kva_range");
    expect(m.isStaleIotlb(pt)).toBe(false);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(pt);
    expect(m.violations).toEqual([]);
  });

  it("is quiet without an SVA-bound IOMMU", () => {
    const { m } = setup(false);
    m.allocPages("alloc_pages", GFP_KERNEL, 0);
    expect(m.violations).toEqual([]);
  });

  it("reports a marked page anywhere in a larger block once, and the error carries the pfn", () => {
    const m = new Machine({ pages: 64, pcp: false, iommuSva: true });
    m.markStaleIotlb("__pagetable_free", 3, 2);
    let err: MachineViolationError | undefined;
    try {
      m.allocPages("alloc_pages", GFP_KERNEL, 3);
    } catch (e) {
      err = e as MachineViolationError;
    }
    expect(err?.violations.map((v) => v.pfn)).toEqual([3]);
    expect(err?.result).toBe(0);
    expect(m.isAllocated(0)).toBe(true);
  });
});
