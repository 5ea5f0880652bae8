import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CensusBuilder, censusOfWords, splitFreeRun, wordsToHalves } from "../../src/census/index.js";
import { kpfSemanticsFor, parseKernel } from "../../src/model/index.js";
import { rep, w } from "./hand.js";

const opts = { semantics: kpfSemanticsFor(parseKernel("6.18")), pageSize: 4096 };
const B = w("BUDDY");
const A = w("ANON");

/** Free blocks of a layout given as [kind, count] runs. */
function blocks(layout: [bigint, number][]): number[] {
  return censusOfWords(
    layout.flatMap(([word, n]) => rep(word, n)),
    opts,
  ).freeBlocks;
}
const orders = (m: Record<number, number>) => Array.from({ length: 11 }, (_, o) => m[o] ?? 0);

describe("free blocks: runs of KPF_BUDDY split into aligned blocks, largest first", () => {
  it("one aligned order-10 block", () => expect(blocks([[B, 1024]])).toEqual(orders({ 10: 1 })));
  it("caps at order 10 (MAX_PAGE_ORDER)", () => expect(blocks([[B, 4096]])).toEqual(orders({ 10: 4 })));
  it("splits at alignment: PFNs 1–8 are 1 (o0), 2–3 (o1), 4–7 (o2), 8 (o0)", () =>
    expect(
      blocks([
        [A, 1],
        [B, 8],
      ]),
    ).toEqual(orders({ 0: 2, 1: 1, 2: 1 })));
  it("splits at run boundaries: 0–1 free, 2 used, 3 free, 4–7 free", () =>
    expect(
      blocks([
        [B, 2],
        [A, 1],
        [B, 5],
      ]),
    ).toEqual(orders({ 1: 1, 0: 1, 2: 1 })));
  it("6–9: two order-1 blocks, not an order-2 one (6 is not 4-aligned)", () =>
    expect(
      blocks([
        [A, 6],
        [B, 4],
      ]),
    ).toEqual(orders({ 1: 2 })));
  it("a run that ends the data is flushed", () =>
    expect(
      blocks([
        [A, 1020],
        [B, 4],
      ]),
    ).toEqual(orders({ 2: 1 })));
  it("an unaligned run of 1030 pages from PFN 3", () =>
    // 3 (o0), 4–7 (o2), 8–15 (o3), 16–31 (o4), 32–63 (o5), 64–127 (o6), 128–255 (o7),
    // 256–511 (o8), 512–1023 (o9), 1024–1032 (o3: 1024–1031), 1032 (o0)
    expect(
      blocks([
        [A, 3],
        [B, 1030],
      ]),
    ).toEqual(orders({ 0: 2, 2: 1, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1 })));
  it("does not depend on chunk boundaries", () => {
    const words = [...rep(A, 3), ...rep(B, 1030), A, ...rep(B, 77)];
    const whole = censusOfWords(words, opts).freeBlocks;
    for (const cut of [1, 4, 500, 1024, 1033, 1034]) {
      const b = new CensusBuilder(opts);
      b.push(wordsToHalves(words.slice(0, cut)));
      b.push(wordsToHalves(words.slice(cut)));
      expect(b.finish().freeBlocks, `cut ${cut}`).toEqual(whole);
    }
  });
  it("handles PFNs beyond 2^32 (16 TiB of 4 KiB pages)", () => {
    const counts = new Array<number>(11).fill(0);
    splitFreeRun(2 ** 33 + 1, 2 ** 33 + 1 + 2048, counts);
    expect(counts.reduce((a, n, o) => a + n * 2 ** o, 0)).toBe(2048);
    expect(counts[10]).toBe(1);
  });
});

/** A second method: the largest aligned block anywhere in [s, e), then both sides, recursively. */
function largestFirst(s: number, e: number, counts: number[]): void {
  if (s >= e) return;
  for (let order = 10; order >= 0; order--) {
    const size = 2 ** order;
    const first = Math.ceil(s / size) * size;
    if (first + size <= e) {
      counts[order]! += 1;
      largestFirst(s, first, counts);
      largestFirst(first + size, e, counts);
      return;
    }
  }
}

describe("the left-to-right split equals the largest-first decomposition", () => {
  it("for any run", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 22 }), fc.integer({ min: 1, max: 9000 }), (start, len) => {
        const a = new Array<number>(11).fill(0);
        const b = new Array<number>(11).fill(0);
        splitFreeRun(start, start + len, a);
        largestFirst(start, start + len, b);
        expect(a).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });
});
