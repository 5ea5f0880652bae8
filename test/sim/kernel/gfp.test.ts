/**
 * GFP masks: every name of include/linux/gfp_types.h (@30919a92) and the
 * GFP_PGTABLE_* of include/asm-generic/pgalloc.h (@1df1ca75) against values
 * worked out by hand from the bit enum (x86-64, no CONFIG_KASAN_HW_TAGS, no
 * CONFIG_LOCKDEP), the C-precedence reader, and compound-ness at run time.
 */
import { describe, expect, it } from "vitest";
import * as sim from "../../../src/sim/index.js";
import {
  __free_pages,
  __GFP_COMP,
  __GFP_MOVABLE,
  __GFP_ZERO,
  alloc_pages,
  GFP_DEFINITIONS,
  GFP_KERNEL,
  gfpEval,
  gfpHas,
  Machine,
  page_to_pfn,
  runOn,
} from "../../../src/sim/index.js";
import * as machineGfp from "../../../src/sim/machine/gfp.js";

// By hand: ___GFP_x_BIT n → 1 << n (bit 9 unused), then each #define's expression.
const HAND: Record<string, number> = {
  __GFP_DMA: 0x1,
  __GFP_HIGHMEM: 0x2,
  __GFP_DMA32: 0x4,
  __GFP_MOVABLE: 0x8,
  __GFP_RECLAIMABLE: 0x10,
  __GFP_HIGH: 0x20,
  __GFP_IO: 0x40,
  __GFP_FS: 0x80,
  __GFP_ZERO: 0x100,
  __GFP_DIRECT_RECLAIM: 0x400,
  __GFP_KSWAPD_RECLAIM: 0x800,
  __GFP_WRITE: 0x1000,
  __GFP_NOWARN: 0x2000,
  __GFP_RETRY_MAYFAIL: 0x4000,
  __GFP_NOFAIL: 0x8000,
  __GFP_NORETRY: 0x10000,
  __GFP_MEMALLOC: 0x20000,
  __GFP_COMP: 0x40000,
  __GFP_NOMEMALLOC: 0x80000,
  __GFP_HARDWALL: 0x100000,
  __GFP_THISNODE: 0x200000,
  __GFP_ACCOUNT: 0x400000,
  __GFP_ZEROTAGS: 0x800000,
  __GFP_NO_OBJ_EXT: 0x1000000,
  __GFP_SKIP_ZERO: 0,
  __GFP_SKIP_KASAN: 0,
  __GFP_NOLOCKDEP: 0,
  GFP_ZONEMASK: 0xf,
  __GFP_RECLAIM: 0xc00,
  GFP_ATOMIC: 0x820,
  GFP_KERNEL: 0xcc0,
  GFP_KERNEL_ACCOUNT: 0x400cc0,
  GFP_NOWAIT: 0x2800,
  GFP_NOIO: 0xc00,
  GFP_NOFS: 0xc40,
  GFP_USER: 0x100cc0,
  GFP_DMA: 0x1,
  GFP_DMA32: 0x4,
  GFP_HIGHUSER: 0x100cc2,
  GFP_HIGHUSER_MOVABLE: 0x100cca,
  // (0x100cca | 0x40000 | 0x80000 | 0x2000) & ~0xc00
  GFP_TRANSHUGE_LIGHT: 0x1c20ca,
  GFP_TRANSHUGE: 0x1c24ca,
  GFP_PGTABLE_KERNEL: 0xdc0,
  GFP_PGTABLE_USER: 0x400dc0,
};

describe("GFP values", () => {
  it("every name has the value worked out by hand, and every hand value has a name", () => {
    expect(Object.keys(GFP_DEFINITIONS).sort()).toEqual(Object.keys(HAND).sort());
    for (const [name, v] of Object.entries(HAND)) {
      expect([name, (sim as unknown as Record<string, number>)[name]]).toEqual([name, v]);
    }
  });
  it("agree with the machine's numeric table (src/sim/machine/gfp.ts)", () => {
    for (const name of Object.keys(HAND)) {
      const m = (machineGfp as unknown as Record<string, number | undefined>)[name];
      if (m !== undefined) expect([name, m]).toEqual([name, HAND[name]]);
    }
    expect(sim.__GFP_BITS_MASK).toBe(0x1ffffff);
  });
});

describe("gfpEval: C expressions on masks", () => {
  it("has C precedence: & binds tighter than |", () => {
    expect(gfpEval("__GFP_COMP | GFP_KERNEL & ~__GFP_COMP")).toBe(0x40cc0);
    expect(gfpEval("(__GFP_COMP | GFP_KERNEL) & ~__GFP_COMP")).toBe(0xcc0);
    expect(gfpEval("GFP_KERNEL & ~__GFP_MOVABLE")).toBe(0xcc0);
    expect(gfpEval("GFP_HIGHUSER_MOVABLE & ~__GFP_MOVABLE")).toBe(0x100cc2);
  });
  it("reads numbers, so a gfp_t spliced into a template works", () => {
    const gfp = GFP_KERNEL;
    expect(gfpEval(`${gfp} | __GFP_COMP`)).toBe(0x40cc0);
    expect(gfpEval("0x40000 | 3264")).toBe(0x40cc0);
    expect(gfpEval(GFP_KERNEL & ~__GFP_ZERO)).toBe(0xcc0);
  });
  it("numeric masks are exact under JavaScript's 32-bit operators", () => {
    expect(GFP_KERNEL & ~__GFP_MOVABLE).toBe(0xcc0);
    let gfp: number = sim.GFP_PGTABLE_USER;
    gfp &= ~sim.__GFP_ACCOUNT;
    expect(gfp).toBe(0xdc0);
  });
  it("rejects what is not a mask with one line", () => {
    expect(() => gfpEval("GFP_KERNEL | __GFP_CMOP")).toThrow("unknown GFP flag '__GFP_CMOP' in GFP mask");
    expect(() => gfpEval("(GFP_KERNEL")).toThrow("missing ')'");
    expect(() => gfpEval("GFP_KERNEL |")).toThrow("unexpected end");
    expect(() => gfpEval("GFP_KERNEL + 1")).toThrow("cannot read GFP mask");
    expect(() => gfpEval(1.5)).toThrow("not an integer");
  });
  it("gfpHas tests all bits of a flag", () => {
    expect(gfpHas(sim.GFP_TRANSHUGE, "__GFP_COMP")).toBe(true);
    expect(gfpHas(sim.GFP_TRANSHUGE, "__GFP_RECLAIM")).toBe(false);
    expect(gfpHas(sim.GFP_TRANSHUGE, "__GFP_DIRECT_RECLAIM")).toBe(true);
    expect(gfpHas(sim.GFP_KERNEL, "__GFP_SKIP_KASAN")).toBe(false);
  });
});

describe("__GFP_COMP decides compound-ness at the call site (mm/page_alloc.c prep_new_page)", () => {
  it("in every mask form", () => {
    const m = new Machine({ pages: 4096, onViolation: "collect" });
    runOn(m, () => {
      const forms = [
        [GFP_KERNEL, false],
        [GFP_KERNEL | __GFP_COMP, true],
        [`${GFP_KERNEL} | __GFP_COMP`, true],
        ["GFP_KERNEL | __GFP_COMP", true],
        [(GFP_KERNEL | __GFP_COMP) & ~__GFP_COMP, false],
        [sim.GFP_TRANSHUGE, true],
        ["GFP_TRANSHUGE & ~__GFP_COMP", false],
        [GFP_KERNEL & ~__GFP_MOVABLE, false],
      ] as const;
      for (const [gfp, compound] of forms) {
        const page = alloc_pages(gfp as number, 2)!;
        expect([gfp, m.isHead(page_to_pfn(page))]).toEqual([gfp, compound]);
        __free_pages(page, 2);
      }
      void __GFP_MOVABLE;
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
