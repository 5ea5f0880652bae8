import { describe, expect, it } from "vitest";
import { CENSUS_KIND_INFO, CENSUS_KINDS, censusOfWords, classifyWord } from "../../src/census/index.js";
import { KPF, kpfSemanticsFor, parseKernel } from "../../src/model/index.js";
import { BIT, w } from "./hand.js";

const newest = { semantics: kpfSemanticsFor(parseKernel("7.3")), pageSize: 4096 };

describe("KPF table against the kernel headers", () => {
  it("has the bit numbers of kernel-page-flags.h", () => {
    for (const [name, bit] of Object.entries(BIT)) {
      const kname =
        name === "HEAD" ? "KPF_COMPOUND_HEAD" : name === "TAIL" ? "KPF_COMPOUND_TAIL" : `KPF_${name}`;
      expect(KPF[kname as keyof typeof KPF], kname).toBe(bit);
    }
  });
});

describe("census kinds: the first rule that matches the raw word", () => {
  // One word per kind, each worked out from the rules in docs/census.md.
  const cases: [string, bigint, string][] = [
    ["KPF_NOPAGE", w("NOPAGE"), "nopage"],
    ["0", 0n, "flagless"],
    ["buddy", w("BUDDY"), "buddy"],
    ["buddy with a stale PG_uptodate (seen on 6.18)", w("BUDDY", "UPTODATE"), "buddy"],
    ["slab", w("SLAB"), "slab"],
    [
      "slab that also reads anon and ksm (slab's overlay of folio->mapping, seen on 6.18)",
      w("SLAB", "ANON", "KSM"),
      "slab",
    ],
    ["page table", w("PGTABLE"), "pagetable"],
    ["kernel page table (PT_kernel = PG_referenced)", w("PGTABLE", "REFERENCED"), "pagetable"],
    ["hugetlb head", w("HEAD", "HUGE", "ANON", "MMAP", "UPTODATE"), "hugetlb"],
    ["offline", w("OFFLINE"), "offline"],
    ["zero page", w("ZERO_PAGE"), "zero"],
    ["huge zero folio", w("ZERO_PAGE", "THP"), "zero"],
    ["ksm", w("KSM", "ANON", "MMAP", "UPTODATE", "LRU"), "ksm"],
    ["anon", w("ANON", "MMAP", "LRU", "SWAPBACKED", "UPTODATE"), "anon"],
    ["anon in swap cache, unmapped", w("ANON", "SWAPCACHE", "SWAPBACKED", "UPTODATE"), "anon"],
    ["file on LRU", w("LRU", "UPTODATE"), "file"],
    ["file only mapped", w("MMAP"), "file"],
    ["file only dirty", w("DIRTY"), "file"],
    ["file under writeback", w("WRITEBACK"), "file"],
    ["file unevictable", w("UNEVICTABLE"), "file"],
    ["file mlocked (bit 33)", w("MLOCKED"), "file"],
    ["shmem (swapbacked)", w("SWAPBACKED"), "file"],
    ["reserved", w("RESERVED"), "reserved"],
    ["reserved and mapped reads as file: the file rule comes first", w("RESERVED", "MMAP"), "file"],
    ["only referenced", w("REFERENCED"), "other"],
    ["only a compound head (large kmalloc, page_pool …)", w("HEAD"), "other"],
    ["only PG_private", w("PRIVATE"), "other"],
  ];
  it.each(cases)("%s", (_name, word, kind) => {
    expect(classifyWord(word)).toBe(kind);
  });

  it("covers every kind", () => {
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(CENSUS_KINDS));
  });

  it("maps census kinds to memdesc kinds through the table", () => {
    expect(CENSUS_KIND_INFO.anon.memdesc).toBe("anon_folio");
    expect(CENSUS_KIND_INFO.file.memdesc).toBe("folio");
    expect(CENSUS_KIND_INFO.hugetlb.memdesc).toBe("folio");
    expect(CENSUS_KIND_INFO.pagetable.memdesc).toBe("ptdesc");
    expect(CENSUS_KIND_INFO.buddy.memdesc).toBe("buddy");
    expect(CENSUS_KIND_INFO.other.memdesc).toBeNull();
    expect(CENSUS_KIND_INFO.flagless.memdesc).toBeNull();
  });

  it("counts kernel page tables separately", () => {
    const r = censusOfWords(
      [w("PGTABLE"), w("PGTABLE", "REFERENCED"), w("PGTABLE", "REFERENCED"), w("REFERENCED")],
      newest,
    );
    expect(r.kinds.pagetable.pages).toBe(3);
    expect(r.kinds.pagetable.sub.kernelPages).toBe(2);
    expect(r.kinds.other.pages).toBe(1);
  });
});
