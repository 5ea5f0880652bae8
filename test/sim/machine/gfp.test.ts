import { describe, expect, it } from "vitest";
import {
  __GFP_ACCOUNT,
  __GFP_COMP,
  __GFP_NOLOCKDEP,
  __GFP_SKIP_KASAN,
  __GFP_ZERO,
  GFP_ATOMIC,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  gfpNames,
} from "../../../src/sim/machine/gfp.js";

// Values worked out from the bit enum of include/linux/gfp_types.h for x86-64
// without CONFIG_KASAN_HW_TAGS and CONFIG_LOCKDEP (and cross-checked against
// the well-known GFP_KERNEL = 0xcc0 and GFP_ATOMIC = 0x820 of such kernels).
describe("gfp bits", () => {
  it("has the kernel's values", () => {
    expect(__GFP_ZERO).toBe(0x100);
    expect(__GFP_COMP).toBe(0x40000);
    expect(__GFP_ACCOUNT).toBe(0x400000);
    expect(GFP_KERNEL).toBe(0xcc0);
    expect(GFP_ATOMIC).toBe(0x820);
    expect(__GFP_SKIP_KASAN).toBe(0);
    expect(__GFP_NOLOCKDEP).toBe(0);
  });

  it("GFP_TRANSHUGE has __GFP_COMP and direct reclaim but not kswapd reclaim", () => {
    expect(GFP_TRANSHUGE & __GFP_COMP).toBe(__GFP_COMP);
    expect(GFP_TRANSHUGE & 0x800).toBe(0);
    expect(GFP_TRANSHUGE & 0x400).toBe(0x400);
  });

  it("names masks as show_gfp_flags() does", () => {
    expect(gfpNames(0)).toBe("none");
    expect(gfpNames(GFP_KERNEL | __GFP_COMP)).toBe("GFP_KERNEL|__GFP_COMP");
    expect(gfpNames(GFP_KERNEL | __GFP_ACCOUNT | __GFP_ZERO)).toBe("GFP_KERNEL_ACCOUNT|__GFP_ZERO");
    expect(gfpNames(0x200)).toBe("0x200");
  });
});
