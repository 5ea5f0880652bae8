/**
 * Tail compound_info words worked out by hand from include/linux/page-flags.h
 * (linux-mm/linux-mm @03e0599d): set_compound_head() writes `head | 1` without
 * compound_info_has_mask(), else GENMASK(63, order + order_base_2(64)) | 1.
 */
import { describe, expect, it } from "vitest";
import {
  COMPOUND_INFO_MASK_UNSETTLED,
  compoundHeadOf,
  compoundInfoHasMask,
  kernelHasCompoundInfoMask,
  tailCompoundInfo,
} from "../../src/model/compound-info.js";

const HVO = { optimizeVmemmap: true, structPageSize: 64 };
const NO_HVO = { optimizeVmemmap: false, structPageSize: 64 };
// The struct page of pfn 0x1000 in x86-64's vmemmap (0xffffea0000000000 + 0x1000 * 64).
const head = 0xffffea0000040000n;
const tail5 = head + 5n * 64n;

describe("compound_info of a tail page", () => {
  it("order 9 with HUGETLB_PAGE_OPTIMIZE_VMEMMAP: mask GENMASK(63, 15) | 1", () => {
    // shift = 9 + order_base_2(64) = 15 → 0xffffffffffff8000 | 1.
    expect(tailCompoundInfo(head, 9, HVO)).toBe(0xffffffffffff8001n);
    expect(compoundHeadOf(tail5, 0xffffffffffff8001n, HVO)).toBe(head);
    expect(compoundHeadOf(head, 0n, HVO)).toBe(head);
  });
  it("without it (or a struct page that is not a power of 2): head | 1", () => {
    expect(tailCompoundInfo(head, 9, NO_HVO)).toBe(0xffffea0000040001n);
    expect(compoundHeadOf(tail5, 0xffffea0000040001n, NO_HVO)).toBe(head);
    expect(compoundInfoHasMask({ optimizeVmemmap: true, structPageSize: 80 })).toBe(false);
  });
  it("order 2: shift 8 → 0xffffffffffffff01", () => {
    expect(tailCompoundInfo(head, 2, HVO)).toBe(0xffffffffffffff01n);
  });
  it("a kernel without compound_info_has_mask() writes head | 1 even with HVO", () => {
    // v6.12.117 include/linux/page-flags.h: no compound_info_has_mask(); v7.2.13 has it.
    expect(tailCompoundInfo(head, 9, { ...HVO, maskEncoding: false })).toBe(0xffffea0000040001n);
    expect(kernelHasCompoundInfoMask({ major: 6, minor: 12 })).toBe(false);
    expect(kernelHasCompoundInfoMask({ major: 7, minor: 0 })).toBe(false);
    expect(kernelHasCompoundInfoMask({ major: 7, minor: 2 })).toBe(true);
    // 7.1 is the model's pick, and says so.
    expect(kernelHasCompoundInfoMask({ major: 7, minor: 1 })).toBe(true);
    expect(COMPOUND_INFO_MASK_UNSETTLED).toMatch(/7\.1 is not read/);
  });
});
