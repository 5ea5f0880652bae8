/**
 * enum pageflags per era. Every expected bit below is counted by hand from the
 * enum lines of the source the era cites (x86-64 with X86_PAT unless said):
 * each #ifdef'd line counts only when its condition holds.
 */
import { describe, expect, it } from "vitest";
import {
  eraCheckAtFree,
  eraPageFlags,
  PAGE_FLAG_ERAS,
  PAGE_FLAGS,
  PAGE_FLAGS_CONFIG,
  type PageFlagsConfig,
  pageFlagEra,
} from "../../src/model/page-flags.js";

const bits = (v: { major: number; minor: number; patch?: number }, config?: PageFlagsConfig) =>
  Object.fromEntries(eraPageFlags(pageFlagEra(v), config).map((f) => [f.name, f.bit]));
const arm64: PageFlagsConfig = { ...PAGE_FLAGS_CONFIG, x86Pat: false, arm64Mte: true };

describe("page flags eras", () => {
  it("cover 6.6 to 7.3 without gaps, oldest first", () => {
    expect(PAGE_FLAG_ERAS.map((e) => e.id)).toEqual([
      "6.6.0-6.6.29",
      "6.6.30-6.6.y",
      "6.7-6.8.8",
      "6.8.9-6.9",
      "6.10-6.11",
      "6.12-6.13",
      "6.14-6.16",
      "6.17-7.3",
    ]);
    for (const v of [
      "6.6",
      "6.6.29",
      "6.6.30",
      "6.7",
      "6.8.8",
      "6.8.9",
      "6.9",
      "6.11",
      "6.12",
      "6.16",
      "6.17",
      "7.3",
    ]) {
      const [major, minor, patch] = v.split(".").map(Number) as [number, number, number?];
      expect(
        () => pageFlagEra(patch === undefined ? { major, minor } : { major, minor, patch }),
        v,
      ).not.toThrow();
    }
  });

  it("6.6 (after 'mm: Rearrange page flags'): PG_error 10, PG_slab 11, x86 PAT's PG_uncached 22", () => {
    // locked 0, writeback 1, referenced 2, uptodate 3, dirty 4, lru 5, head 6, waiters 7, active 8,
    // workingset 9, error 10, slab 11, owner_priv_1 12, arch_1 13, reserved 14, private 15,
    // private_2 16, mappedtodisk 17, reclaim 18, swapbacked 19, unevictable 20, mlocked 21 (MMU),
    // uncached 22 (ARCH_USES_PG_UNCACHED = X86_PAT), hwpoison 23, young 24, idle 25.
    const b = bits({ major: 6, minor: 6 });
    expect(b).toMatchObject({ PG_writeback: 1, PG_head: 6, PG_waiters: 7, PG_error: 10, PG_slab: 11 });
    expect(b).toMatchObject({ PG_owner_priv_1: 12, PG_reserved: 14, PG_private: 15, PG_mappedtodisk: 17 });
    expect(b).toMatchObject({ PG_mlocked: 21, PG_uncached: 22, PG_hwpoison: 23, PG_young: 24, PG_idle: 25 });
    expect(Object.keys(b)).toHaveLength(26);
    expect(b.PG_arch_2).toBeUndefined();
    // arm64 with MTE: no PG_uncached, ARCH_USES_PG_ARCH_X gives arch_2 and arch_3 after idle.
    expect(bits({ major: 6, minor: 6 }, arm64)).toMatchObject({
      PG_hwpoison: 22,
      PG_idle: 24,
      PG_arch_2: 25,
      PG_arch_3: 26,
    });
  });

  it("PG_owner_priv_1 is PF_ANY in 6.6 (PAGEFLAG(OwnerPriv1, owner_priv_1, PF_ANY)) and has no policy of its own in the newest", () => {
    const f66 = eraPageFlags(pageFlagEra({ major: 6, minor: 6 })).find((f) => f.name === "PG_owner_priv_1");
    expect(f66?.policy).toBe("PF_ANY");
    const f73 = eraPageFlags(pageFlagEra({ major: 7, minor: 3 })).find((f) => f.name === "PG_owner_priv_1");
    expect(f73?.policy).toBeNull();
    // Its aliases keep PF_NO_COMPOUND in both.
    for (const v of [
      { major: 6, minor: 6 },
      { major: 7, minor: 3 },
    ])
      for (const a of ["PG_checked", "PG_pinned", "PG_foreign", "PG_xen_remapped"])
        expect(pageFlagEra(v).aliases[a], a).toMatchObject({
          of: "PG_owner_priv_1",
          policy: "PF_NO_COMPOUND",
        });
  });

  it("PG_hugetlb = PG_active exists until the stable backport of d99e3140a4d3 (6.6.30, 6.8.9)", () => {
    expect(pageFlagEra({ major: 6, minor: 6, patch: 29 }).aliases.PG_hugetlb?.of).toBe("PG_active");
    expect(pageFlagEra({ major: 6, minor: 6, patch: 30 }).aliases.PG_hugetlb).toBeUndefined();
    expect(pageFlagEra({ major: 6, minor: 8, patch: 8 }).aliases.PG_hugetlb?.of).toBe("PG_active");
    expect(pageFlagEra({ major: 6, minor: 8, patch: 9 }).aliases.PG_hugetlb).toBeUndefined();
  });

  it("6.10 (46df8e73a4a3 'mm: free up PG_slab'): every flag above PG_error moves down one bit", () => {
    const b = bits({ major: 6, minor: 10 });
    expect(b.PG_slab).toBeUndefined();
    expect(b).toMatchObject({ PG_error: 10, PG_owner_priv_1: 11, PG_reserved: 13, PG_private: 14 });
    expect(b).toMatchObject({ PG_mlocked: 20, PG_uncached: 21, PG_hwpoison: 22, PG_idle: 24 });
  });

  it("6.12: PG_error gone, PG_owner_2 at 11, PG_uncached replaced by x86 PAT's PG_arch_2 after idle", () => {
    // owner_priv_1 10, owner_2 11, arch_1 12, reserved 13, private 14, private_2 15, reclaim 16,
    // swapbacked 17, unevictable 18, mlocked 19, hwpoison 20, young 21, idle 22, arch_2 23.
    const b = bits({ major: 6, minor: 12 });
    expect(b).toMatchObject({ PG_owner_priv_1: 10, PG_owner_2: 11, PG_reserved: 13, PG_reclaim: 16 });
    expect(b).toMatchObject({ PG_mlocked: 19, PG_hwpoison: 20, PG_idle: 22, PG_arch_2: 23 });
    expect(b.PG_error).toBeUndefined();
    expect(b.PG_mappedtodisk).toBeUndefined();
    expect(pageFlagEra({ major: 6, minor: 12 }).aliases.PG_mappedtodisk?.of).toBe("PG_owner_2");
    expect(pageFlagEra({ major: 6, minor: 12 }).aliases.PG_has_hwpoisoned?.of).toBe("PG_active");
    expect(pageFlagEra({ major: 6, minor: 11 }).aliases.PG_has_hwpoisoned?.of).toBe("PG_error");
  });

  it("6.14 on: PG_dropbehind after PG_unevictable; the newest era matches PAGE_FLAGS bit for bit", () => {
    expect(bits({ major: 6, minor: 14 })).toMatchObject({
      PG_unevictable: 18,
      PG_dropbehind: 19,
      PG_mlocked: 20,
      PG_arch_2: 24,
    });
    const newest = eraPageFlags(pageFlagEra({ major: 7, minor: 3 }));
    expect(newest.map((f) => [f.name, f.bit, f.policy])).toEqual(
      PAGE_FLAGS.map((f) => [f.name, f.bit, f.policy]),
    );
    expect(pageFlagEra({ major: 6, minor: 16 }).aliases.PG_isolated?.of).toBe("PG_reclaim");
    expect(pageFlagEra({ major: 6, minor: 17 }).aliases.PG_movable_ops?.of).toBe("PG_uptodate");
  });

  it("PAGE_FLAGS_CHECK_AT_FREE per era, added by hand", () => {
    // 6.6: lru 5, locked 0, private 15, private_2 16, writeback 1, reserved 14, slab 11, active 8,
    // unevictable 20, mlocked 21: nibbles 0x3 (0,1) 0x2 (5) 0x9 (8,11) 0xc (14,15) 0x1 (16) 0x3 (20,21).
    expect(eraCheckAtFree(pageFlagEra({ major: 6, minor: 6 }))).toBe(0x31_c923);
    // 7.3: lru 5, locked 0, private 14, private_2 15, writeback 1, reserved 13, active 8,
    // unevictable 18, mlocked 20 = 0x14e123 (the newest table's test).
    expect(eraCheckAtFree(pageFlagEra({ major: 7, minor: 3 }))).toBe(0x14_e123);
    // Without CONFIG_MMU there is no PG_mlocked to check.
    expect(eraCheckAtFree(pageFlagEra({ major: 7, minor: 3 }), { ...PAGE_FLAGS_CONFIG, mmu: false })).toBe(
      0x04_e123,
    );
  });

  it("bit 14 is PG_private through 7.3: v7.3.4 page-flags.h and mmflags.h, not linux-mm's later 'folio'", () => {
    // v7.3.4 include/linux/page-flags.h: PG_private after PG_reserved; mmflags.h DEF_PAGEFLAG_NAME(private).
    expect(bits({ major: 7, minor: 3 }).PG_private).toBe(14);
    expect(pageFlagEra({ major: 7, minor: 3 }).dumpNames).toContain("private");
    expect(pageFlagEra({ major: 7, minor: 3 }).dumpNames).not.toContain("folio");
    expect(pageFlagEra({ major: 7, minor: 3 }).source).toMatch(/v7\.3\.4/);
    expect(pageFlagEra({ major: 7, minor: 3 }).unsettled ?? "").not.toMatch(/PG_folio/);
  });

  it("6.12's PAGEFLAG/FOLIO_FLAG lines as v6.12.117 declares them", () => {
    // v6.12.117 include/linux/page-flags.h: FOLIO_FLAG(private_2, FOLIO_HEAD_PAGE) (the model's
    // PF_HEAD, folio only), PAGEFLAG(Private, private, PF_ANY), PAGEFLAG(Reserved, reserved,
    // PF_NO_COMPOUND), FOLIO_FLAG(waiters/referenced/active/swapbacked/unevictable/mlocked, FOLIO_HEAD_PAGE),
    // PAGEFLAG(MappedToDisk, mappedtodisk, PF_NO_TAIL), PAGEFLAG(Isolated, isolated, PF_ANY).
    const era = pageFlagEra({ major: 6, minor: 12 });
    const by = Object.fromEntries(eraPageFlags(era).map((f) => [f.name, [f.policy, f.folioOnly]]));
    expect(by.PG_private_2).toEqual(["PF_HEAD", true]);
    expect(by.PG_private).toEqual(["PF_ANY", false]);
    expect(by.PG_reserved).toEqual(["PF_NO_COMPOUND", false]);
    for (const n of [
      "PG_waiters",
      "PG_referenced",
      "PG_active",
      "PG_swapbacked",
      "PG_unevictable",
      "PG_mlocked",
    ])
      expect(by[n], n).toEqual(["PF_HEAD", true]);
    expect(era.aliases.PG_mappedtodisk).toMatchObject({ of: "PG_owner_2", policy: "PF_NO_TAIL" });
    expect(era.aliases.PG_isolated).toMatchObject({ of: "PG_reclaim", policy: "PF_ANY" });
    // v7.3.4: FOLIO_FLAG(mappedtodisk, FOLIO_HEAD_PAGE).
    expect(pageFlagEra({ major: 7, minor: 3 }).aliases.PG_mappedtodisk?.policy).toBe("PF_HEAD");
    // 6.6–6.11's lines could not be read: the era says so.
    expect(pageFlagEra({ major: 6, minor: 8 }).unsettled).toMatch(/v6\.1\.187/);
  });
});
