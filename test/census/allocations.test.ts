import { describe, expect, it } from "vitest";
import { CensusBuilder, censusOfWords, wordsToHalves } from "../../src/census/index.js";
import { kpfSemanticsFor, parseKernel } from "../../src/model/index.js";
import { rep, w } from "./hand.js";

const at = (version: string) => ({ semantics: kpfSemanticsFor(parseKernel(version)), pageSize: 4096 });

describe("allocations: compound heads start them, tails join, other pages are order-0", () => {
  // PFN: word                         what it is                         → by hand
  const words = [
    0n, //                     0  flagless                             not an allocation
    w("ANON", "MMAP"), //       1  order-0 anon                         anon alloc 1
    w("HEAD", "ANON", "THP"), // 2  head of an order-2 anon THP         anon alloc 2
    w("TAIL", "ANON", "THP"), // 3
    w("TAIL", "ANON", "THP"), // 4
    w("TAIL", "ANON", "THP"), // 5
    w("HEAD", "SLAB"), //       6  order-1 slab                         slab alloc 1
    w("TAIL", "SLAB"), //       7
    w("HEAD", "SLAB"), //       8  the next slab, right after           slab alloc 2
    w("TAIL", "SLAB"), //       9
    w("LRU", "UPTODATE"), //   10  order-0 page cache                   file alloc 1
    w("TAIL", "LRU", "UPTODATE"), // 11  tail after a non-compound page: orphan → file alloc 2
    w("BUDDY"), //             12  free                                 not an allocation
    w("TAIL", "ANON"), //      13  tail after a free page: orphan      anon alloc 3
    w("RESERVED"), //          14  reserved                              reserved alloc 1
    0n, //                     15  flagless
  ];
  const r = censusOfWords(words, at("7.3"));

  it("counts pages per kind", () => {
    expect(r.kinds.anon.pages).toBe(6);
    expect(r.kinds.slab.pages).toBe(4);
    expect(r.kinds.file.pages).toBe(2);
    expect(r.kinds.buddy.pages).toBe(1);
    expect(r.kinds.reserved.pages).toBe(1);
    expect(r.kinds.flagless.pages).toBe(2);
    expect(r.pfns).toBe(16);
  });
  it("counts allocations", () => {
    expect(r.kinds.anon.allocations).toBe(3);
    expect(r.kinds.slab.allocations).toBe(2);
    expect(r.kinds.file.allocations).toBe(2);
    expect(r.kinds.reserved.allocations).toBe(1);
    expect(r.kinds.flagless.allocations).toBe(0);
    expect(r.kinds.buddy.allocations).toBe(0);
    expect(r.orphanTails).toBe(2);
  });
  it("gives the same answer whatever the chunking", () => {
    for (let split = 1; split < words.length; split++) {
      const b = new CensusBuilder(at("7.3"));
      b.push(wordsToHalves(words.slice(0, split)));
      b.push(wordsToHalves(words.slice(split)));
      const s = b.finish();
      expect(s.kinds, `split at ${split}`).toEqual(r.kinds);
      expect(s.orphanTails).toBe(2);
    }
  });
});

describe("--kernel selects how compound tails are read", () => {
  // An order-2 file THP and an order-1 kernel page table. Before 6.10 a tail's
  // word has the tail page's own flags (no LRU, no UPTODATE); before 6.17 it
  // lacks KPF_PGTABLE (PageTable(page) tests the page, not the folio).
  const words = [
    w("HEAD", "LRU", "UPTODATE", "THP"),
    w("TAIL", "THP"), // own word: other
    w("TAIL", "THP", "MMAP"), // own word: file (mapped)
    w("TAIL", "THP"), // own word: other
    w("HEAD", "PGTABLE", "REFERENCED"),
    w("TAIL"), // own word: other
  ];
  it.each(["6.6", "6.9", "6.10", "6.16"])("%s: tails take their head's kind", (v) => {
    const r = censusOfWords(words, at(v));
    expect(r.tailsTakeHeadKind).toBe(true);
    expect(r.kinds.file).toMatchObject({ pages: 4, allocations: 1 });
    expect(r.kinds.pagetable).toMatchObject({ pages: 2, allocations: 1, sub: { kernelPages: 2 } });
    expect(r.kinds.other.pages).toBe(0);
  });
  it.each(["6.17", "6.18", "7.3"])("%s: tails are classified by their own word", (v) => {
    const r = censusOfWords(words, at(v));
    expect(r.tailsTakeHeadKind).toBe(false);
    expect(r.kinds.file).toMatchObject({ pages: 2, allocations: 1 });
    expect(r.kinds.pagetable).toMatchObject({ pages: 1, allocations: 1, sub: { kernelPages: 1 } });
    expect(r.kinds.other).toMatchObject({ pages: 3, allocations: 0 });
  });
  it("names the era", () => {
    expect(kpfSemanticsFor(parseKernel("6.6")).name).toBe("per-page");
    expect(kpfSemanticsFor(parseKernel("6.12.0-31-generic")).name).toBe("folio-flags");
    expect(kpfSemanticsFor(parseKernel("6.18.44-fc-v657")).name).toBe("folio-snapshot");
    // KPF_BUDDY is on every page of a free block in every supported kernel (is_free_buddy_page).
    for (const v of ["6.6", "6.10", "6.17", "7.3"])
      expect(kpfSemanticsFor(parseKernel(v)).buddyOnEveryPage).toBe(true);
  });
});

describe("hugetlb folios", () => {
  it("count one allocation per folio", () => {
    const folio = [w("HEAD", "HUGE"), ...rep(w("TAIL", "HUGE"), 511)];
    const r = censusOfWords([...folio, ...folio, ...rep(w("BUDDY"), 1024)], at("6.18"));
    expect(r.kinds.hugetlb).toMatchObject({ pages: 1024, allocations: 2 });
    expect(r.freeBlocks[10]).toBe(1);
  });
});
