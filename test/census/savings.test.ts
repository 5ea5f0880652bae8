import { describe, expect, it } from "vitest";
import {
  censusOfWords,
  defaultDescriptorSizes,
  memmapCost,
  parseDescriptorSizes,
} from "../../src/census/index.js";
import { kpfSemanticsFor, MemdescInputError, parseKernel } from "../../src/model/index.js";
import { w } from "./hand.js";

const opts = { semantics: kpfSemanticsFor(parseKernel("6.18")), pageSize: 4096 };
// 10 PFNs: 2 order-0 anon, an order-1 file THP, 1 slab, 2 free, 1 flagless, 1 hole, 1 other.
const words = [
  w("ANON", "MMAP"),
  w("ANON", "MMAP"),
  w("HEAD", "LRU", "UPTODATE", "THP"),
  w("TAIL", "LRU", "UPTODATE", "THP"),
  w("SLAB"),
  w("BUDDY"),
  w("BUDDY"),
  0n,
  w("NOPAGE"),
  w("HEAD"),
];
const result = censusOfWords(words, opts);

describe("memmap cost per stage, worked by hand", () => {
  // 9 page frames have a memmap (the KPF_NOPAGE one has none): RAM 9 × 4096 = 36864 B.
  // Descriptors (interim32 on): anon 2 × 160 + folio 1 × 160 + slab 1 × 80 = 560 B; buddy inline;
  // (the default sizes are the final-stage layouts: folio 160 — decision 0303, struct folio of
  // mm_types.h without its overlay of struct page —, slab 80 — src/model/kinds.ts)
  // the 'other' head has no memdesc kind and no descriptor.
  const cost = memmapCost(result, defaultDescriptorSizes());
  it("RAM and pages", () => {
    expect(cost.pages).toBe(9);
    expect(cost.ramBytes).toBe(36864);
    expect(cost.unnamedAllocations).toBe(1);
  });
  it("today: 64 B a page, nothing else", () => {
    expect(cost.stages.today).toMatchObject({
      bytesPerPage: 64,
      memmapBytes: 576,
      descriptorBytes: 0,
      totalBytes: 576,
    });
    expect(cost.stages.today.percentOfRam).toBeCloseTo(1.5625, 10);
  });
  it("interim32, interim16, final: smaller pages plus 560 B of descriptors", () => {
    expect(cost.stages.interim32.totalBytes).toBe(288 + 560);
    expect(cost.stages.interim16.totalBytes).toBe(144 + 560);
    expect(cost.stages.final).toMatchObject({
      bytesPerPage: 8,
      memmapBytes: 72,
      descriptorBytes: 560,
      totalBytes: 632,
    });
    expect(cost.stages.final.percentOfRam).toBeCloseTo((100 * 632) / 36864, 10);
  });
  it("lists the descriptors (buddy: two order-0 free blocks, inline)", () => {
    const by = Object.fromEntries(cost.descriptors.map((d) => [d.kind, [d.count, d.bytes]]));
    expect(by).toMatchObject({ anon_folio: [2, 320], folio: [1, 160], slab: [1, 80], buddy: [2, 0] });
  });
  it("--descriptor overrides sizes: folio=96 slab=32 → 320 (anon_folio keeps 2 × 160) + 96 + 32 = 448 B", () => {
    const c = memmapCost(result, parseDescriptorSizes(["folio=96", "slab=32"]));
    expect(c.stages.final.totalBytes).toBe(72 + 448);
    expect(c.stages.today.totalBytes).toBe(576);
  });
  it("an inline kind given a size is charged per free block", () => {
    // The two free pages at PFNs 5–6 are not 2-aligned: two order-0 blocks.
    const c = memmapCost(result, parseDescriptorSizes(["buddy=16"]));
    expect(result.freeBlocks[0]).toBe(2);
    expect(c.stages.final.descriptorBytes).toBe(560 + 32);
  });
});

describe("--descriptor KIND=BYTES", () => {
  const bad: [string, RegExp][] = [
    ["slab=20", /positive multiple of 16/],
    ["slab=0", /positive multiple of 16/],
    ["slab=-16", /whole number/],
    ["slab=1e3", /whole number/],
    ["slab", /not KIND=BYTES/],
    ["page=64", /unknown memdesc kind 'page'/],
    ["anon=96", /census kind.*anon → anon_folio/],
  ];
  it.each(bad)("%s is rejected", (spec, message) => {
    expect(() => parseDescriptorSizes([spec])).toThrow(MemdescInputError);
    expect(() => parseDescriptorSizes([spec])).toThrow(message);
  });
  it("rejects conflicting sizes for one kind, accepts a repeat", () => {
    expect(() => parseDescriptorSizes(["slab=64", "slab=128"])).toThrow(/conflicting sizes for slab/);
    expect(parseDescriptorSizes(["slab=128", "slab=128"]).slab).toBe(128);
  });
});
