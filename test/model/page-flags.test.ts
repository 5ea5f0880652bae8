import { describe, expect, it } from "vitest";
import {
  NR_PAGEFLAGS,
  PAGE_FLAG_ALIASES,
  PAGE_FLAGS,
  PAGE_FLAGS_CHECK_AT_FREE,
  PAGE_FLAGS_CHECK_AT_PREP,
  PAGE_FLAGS_SECOND,
  PT_FLAGS,
  pageFlagBit,
  pageFlagNames,
} from "../../src/model/page-flags.js";

describe("enum pageflags (page-flags.h @03e0599d, x86-64 config)", () => {
  it("the bits are consecutive from PG_locked = 0, PG_head in bit 6 and PG_waiters in bit 7", () => {
    expect(PAGE_FLAGS.map((f) => f.bit)).toEqual([...Array(NR_PAGEFLAGS).keys()]);
    expect(pageFlagBit("PG_head")).toBe(6);
    expect(pageFlagBit("PG_waiters")).toBe(7);
    expect(pageFlagBit("PG_reserved")).toBe(13);
    expect(pageFlagBit("PG_mlocked")).toBe(20);
  });
  it("aliases resolve to their flag's bit", () => {
    expect(pageFlagBit("PG_swapcache")).toBe(10);
    expect(pageFlagBit("PG_anon_exclusive")).toBe(11);
    expect(pageFlagBit("PG_large_rmappable")).toBe(9);
    for (const [alias, a] of Object.entries(PAGE_FLAG_ALIASES))
      expect(pageFlagBit(alias), alias).toBe(pageFlagBit(a.of));
  });
  it("PT_kernel is PG_referenced (bit 2) and PT_reserved is PG_reserved (bit 13)", () => {
    expect(PT_FLAGS).toEqual({ PT_kernel: 2, PT_reserved: 13 });
  });
  it("PAGE_FLAGS_CHECK_AT_FREE = lru|locked|private|private_2|writeback|reserved|active|unevictable|mlocked", () => {
    // 1<<5 | 1<<0 | 1<<14 | 1<<15 | 1<<1 | 1<<13 | 1<<8 | 1<<18 | 1<<20, added by hand:
    // 32 + 1 + 16384 + 32768 + 2 + 8192 + 256 + 262144 + 1048576 = 1368355 = 0x14e123
    expect(PAGE_FLAGS_CHECK_AT_FREE).toBe(0x14_e123);
  });
  it("PAGE_FLAGS_CHECK_AT_PREP is every modelled flag but PG_hwpoison (bit 21)", () => {
    // 25 flags with x86 PAT's PG_arch_2 in bit 24: (1 << 25) - 1 without bit 21.
    expect(NR_PAGEFLAGS).toBe(25);
    expect(PAGE_FLAGS_CHECK_AT_PREP).toBe(0x1ff_ffff & ~(1 << 21));
  });
  it("PAGE_FLAGS_SECOND: the order byte plus has_hwpoisoned (8), large_rmappable (9), partially_mapped (16)", () => {
    expect(PAGE_FLAGS_SECOND).toBe(0xff | (1 << 8) | (1 << 9) | (1 << 16));
  });
  it("second-page flags avoid the first 8 bits and PF_ANY flags, as page-flags.h requires", () => {
    for (const [name, a] of Object.entries(PAGE_FLAG_ALIASES)) {
      if (a.policy !== "PF_SECOND") continue;
      const bit = pageFlagBit(name);
      expect(bit, name).toBeGreaterThanOrEqual(8);
      expect(PAGE_FLAGS.find((f) => f.bit === bit)?.policy, name).not.toBe("PF_ANY");
    }
  });
  it("names a flags word lowest bit first", () => {
    expect(pageFlagNames(0x44)).toEqual(["PG_referenced", "PG_head"]);
  });
});

describe("PG_owner_priv_1 as the newest page-flags.h declares it (linux-mm/linux-mm @03e0599d)", () => {
  it("has no PAGEFLAG line of its own; its Xen and filesystem aliases are PF_NO_COMPOUND", () => {
    // @03e0599d: PAGEFLAG(Checked, checked, PF_NO_COMPOUND), PAGEFLAG(Pinned, pinned, PF_NO_COMPOUND),
    // PAGEFLAG(Foreign, foreign, PF_NO_COMPOUND), PAGEFLAG(XenRemapped, xen_remapped, PF_NO_COMPOUND),
    // PAGEFLAG(VmemmapSelfHosted, vmemmap_self_hosted, PF_ANY); no PAGEFLAG(OwnerPriv1, …).
    expect(PAGE_FLAGS.find((f) => f.name === "PG_owner_priv_1")).toMatchObject({ bit: 10, policy: null });
    for (const alias of ["PG_checked", "PG_pinned", "PG_foreign", "PG_xen_remapped"])
      expect(PAGE_FLAG_ALIASES[alias], alias).toMatchObject({
        of: "PG_owner_priv_1",
        policy: "PF_NO_COMPOUND",
      });
    expect(PAGE_FLAG_ALIASES.PG_vmemmap_self_hosted?.policy).toBe("PF_ANY");
  });
});
