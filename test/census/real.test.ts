/**
 * The real snapshots, checked against a second, naive implementation written
 * here: one BigInt word at a time, an if-chain for the kinds, and the
 * largest-first split for free runs. Also against each snapshot's own
 * /proc/buddyinfo, read right before kpageflags at capture time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buddyinfoTotals, CensusBuilder, parseBuddyinfo } from "../../src/census/index.js";
import { kpfSemanticsFor, parseKernel } from "../../src/model/index.js";
import { BIT } from "./hand.js";

const has = (x: bigint, b: number) => ((x >> BigInt(b)) & 1n) === 1n;
const FILE_BITS = [
  BIT.LRU,
  BIT.MMAP,
  BIT.UPTODATE,
  BIT.DIRTY,
  BIT.WRITEBACK,
  BIT.UNEVICTABLE,
  BIT.MLOCKED,
  BIT.SWAPBACKED,
];

function kindOf(x: bigint): string {
  if (has(x, BIT.NOPAGE)) return "nopage";
  if (x === 0n) return "flagless";
  if (has(x, BIT.BUDDY)) return "buddy";
  if (has(x, BIT.SLAB)) return "slab";
  if (has(x, BIT.PGTABLE)) return "pagetable";
  if (has(x, BIT.HUGE)) return "hugetlb";
  if (has(x, BIT.OFFLINE)) return "offline";
  if (has(x, BIT.ZERO_PAGE)) return "zero";
  if (has(x, BIT.KSM)) return "ksm";
  if (has(x, BIT.ANON)) return "anon";
  if (FILE_BITS.some((b) => has(x, b))) return "file";
  if (has(x, BIT.RESERVED)) return "reserved";
  return "other";
}

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

function naive(words: BigUint64Array) {
  const pages: Record<string, number> = {};
  const allocs: Record<string, number> = {};
  const free = new Array<number>(11).fill(0);
  let open = false;
  let freeStart = -1;
  let kernelPages = 0;
  for (let i = 0; i < words.length; i++) {
    const x = words[i]!;
    const k = kindOf(x);
    pages[k] = (pages[k] ?? 0) + 1;
    if (k === "pagetable" && has(x, BIT.REFERENCED)) kernelPages++;
    const allocated = !["nopage", "flagless", "buddy"].includes(k);
    if (has(x, BIT.TAIL) && open) {
      // joins
    } else if (allocated) {
      allocs[k] = (allocs[k] ?? 0) + 1;
      open = has(x, BIT.HEAD) || has(x, BIT.TAIL);
    } else open = false;
    if (k === "buddy") {
      if (freeStart < 0) freeStart = i;
    } else if (freeStart >= 0) {
      largestFirst(freeStart, i, free);
      freeStart = -1;
    }
  }
  if (freeStart >= 0) largestFirst(freeStart, words.length, free);
  return { pages, allocs, free, kernelPages };
}

describe.each(["samples/census", "test/fixtures/census/idle-6.18"])("real snapshot %s", (dir) => {
  const raw = gunzipSync(readFileSync(join(dir, "kpageflags.gz")));
  const words = new BigUint64Array(raw.buffer, raw.byteOffset, raw.length / 8);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  const b = new CensusBuilder({
    semantics: kpfSemanticsFor(parseKernel(meta.kernelRelease)),
    pageSize: meta.pageSize,
  });
  b.push(new Uint32Array(raw.buffer, raw.byteOffset, raw.length / 4));
  const r = b.finish();
  const n = naive(words);

  it("covers every PFN", () => {
    expect(r.pfns).toBe(meta.pfns);
    expect(Object.values(r.kinds).reduce((a, k) => a + k.pages, 0)).toBe(meta.pfns);
  });
  it("agrees with the naive count, kind by kind", () => {
    for (const [kind, c] of Object.entries(r.kinds)) {
      expect(c.pages, kind).toBe(n.pages[kind] ?? 0);
      expect(c.allocations, kind).toBe(n.allocs[kind] ?? 0);
    }
    expect(r.kinds.pagetable.sub.kernelPages).toBe(n.kernelPages);
  });
  it("agrees with the naive free-block split", () => {
    expect(r.freeBlocks).toEqual(n.free);
  });
  it("agrees with the buddyinfo read right before it, up to the allocator's activity meanwhile", () => {
    const buddy = buddyinfoTotals(parseBuddyinfo(readFileSync(join(dir, "buddyinfo"), "utf8")), 11);
    expect(r.freeBlocks[10]).toBe(buddy[10]);
    const freePages = (c: number[]) => c.reduce((a, x, o) => a + x * 2 ** o, 0);
    const moved = r.freeBlocks.reduce((a, x, o) => a + Math.abs(x - buddy[o]!) * 2 ** o, 0);
    expect(moved / freePages(buddy)).toBeLessThan(0.01);
  });
});

describe("the sample's workload is visible", () => {
  const raw = gunzipSync(readFileSync("samples/census/kpageflags.gz"));
  const b = new CensusBuilder({ semantics: kpfSemanticsFor(parseKernel("6.18")), pageSize: 4096 });
  b.push(new Uint32Array(raw.buffer, raw.byteOffset, raw.length / 4));
  const r = b.finish();
  it("32 hugetlb pages of 2 MiB: 32 allocations of 512 page frames", () => {
    expect(r.kinds.hugetlb).toMatchObject({ pages: 32 * 512, allocations: 32 });
  });
  it("KSM merged pages", () => expect(r.kinds.ksm.pages).toBeGreaterThan(0));
  it("anon THPs: fewer anon allocations than anon pages", () =>
    expect(r.kinds.anon.allocations).toBeLessThan(r.kinds.anon.pages - 60000));
});
