import { describe, expect, it } from "vitest";
import { kernelInRange, parseKernel } from "../../src/model/kernel.js";
import {
  decodePageType,
  encodePageType,
  PAGE_TYPE_ERAS,
  PAGE_TYPE_NONE,
  PAGE_TYPES,
  type PageTypeName,
  pageTypeEra,
  pageTypeTester,
} from "../../src/model/page-type.js";

const era = (v: string) => pageTypeEra(parseKernel(v));

describe("page_type words worked out by hand from page-flags.h of each era", () => {
  it("7.3: PGTY_table is top byte 0xf2; the low 24 bits belong to the owner", () => {
    expect(decodePageType(0xf200_0000, era("7.3"))).toEqual({
      kind: "typed",
      type: "table",
      ownerBits: 24,
      ownerValue: 0,
    });
    expect(decodePageType(0xf612_3456, era("7.3"))).toEqual({
      kind: "typed",
      type: "zsmalloc",
      ownerBits: 24,
      ownerValue: 0x12_3456,
    });
  });
  it("UINT_MAX is no type in every era; a small value is a mapcount (_mapcount + 1)", () => {
    for (const e of PAGE_TYPE_ERAS)
      expect(decodePageType(PAGE_TYPE_NONE, e), e.id).toEqual({ kind: "untyped" });
    expect(decodePageType(2, era("7.3"))).toEqual({ kind: "mapcount", mapcount: 3 });
    expect(decodePageType(0, era("6.6"))).toEqual({ kind: "mapcount", mapcount: 1 });
  });
  it("PGTY_netpp (0xf9) is decoded from 7.1 and marked unsettled; large_kmalloc from 6.15", () => {
    // db359fccf212 was merged for 7.1; its revert (54cf41c969da, message
    // 20260515034701.17027-1-byungchul@sk.com) was queued as a 7.1-rc hotfix:
    // the sources cannot settle which releases ship it.
    const d = decodePageType(0xf900_0000, era("7.3"));
    expect(d).toMatchObject({ kind: "typed", type: "netpp" });
    expect(d.kind === "typed" && d.unsettled).toMatch(/cannot be settled/);
    expect(decodePageType(0xf900_0000, era("7.1")).kind).toBe("typed");
    expect(decodePageType(0xf900_0000, era("7.0")).kind).toBe("unknown-type");
    expect(decodePageType(0xf800_0000, era("6.15")).kind).toBe("typed");
    expect(decodePageType(0xf800_0000, era("6.14")).kind).toBe("unknown-type");
  });
  it("hugetlb is a page type from 6.6.30 and 6.8.9 (stable backports of d99e3140a4d3), not before", () => {
    // [PATCH 6.6.y] / [PATCH 6.8.y] "mm: turn folio_test_hugetlb into a PageType"
    // (messages 20240429133142.2985003-1-willy@infradead.org and
    // 20240429125519.2970760-1-willy@infradead.org): #define PG_hugetlb 0x00000800,
    // so __folio_set_hugetlb clears bit 11 of UINT_MAX: 0xfffff7ff. CVE-2024-35993:
    // affected >=6.6.0 <6.6.30, >=6.7.0 <6.8.9.
    expect(decodePageType(0xffff_f7ff, era("6.6.30"))).toMatchObject({ kind: "typed", type: "hugetlb" });
    expect(decodePageType(0xffff_f7ff, era("6.6.60"))).toMatchObject({ kind: "typed", type: "hugetlb" });
    expect(decodePageType(0xffff_f7ff, era("6.6.29")).kind).toBe("unknown-type");
    expect(decodePageType(0xffff_f7ff, era("6.6")).kind).toBe("unknown-type");
    expect(decodePageType(0xffff_f7ff, era("6.7.12")).kind).toBe("unknown-type");
    expect(decodePageType(0xffff_f7ff, era("6.8.8")).kind).toBe("unknown-type");
    expect(decodePageType(0xffff_f7ff, era("6.8.9"))).toMatchObject({ kind: "typed", type: "hugetlb" });
    expect(decodePageType(0xffff_f7ff, era("6.9"))).toMatchObject({ kind: "typed", type: "hugetlb" });
    expect(encodePageType("hugetlb", era("6.6.30-foo"))).toBe(0xffff_f7ff);
  });
  it("PG_unaccepted is not in 6.11; PGTY_unaccepted (0xf7) is in 6.12", () => {
    // 6.11 high masks: PG_unaccepted would be 0x00800000, so __SetPageUnaccepted would
    // write 0xff7fffff; the patch (message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com)
    // was posted on 9 Aug 2024, after 6.11-rc1 (28 Jul 2024).
    expect(decodePageType(0xff7f_ffff, era("6.11")).kind).not.toBe("typed");
    expect(() => encodePageType("unaccepted", era("6.11"))).toThrow(/does not exist in kernel 6.11/);
    // 6.12: enum pagetype … PGTY_zsmalloc = 0xf6, PGTY_unaccepted = 0xf7.
    expect(decodePageType(0xf700_0000, era("6.12"))).toMatchObject({ kind: "typed", type: "unaccepted" });
  });
  it("a top byte of 0x80–0xef is mapcount overflow, not a type", () => {
    expect(decodePageType(0x9000_0000, era("7.3"))).toEqual({ kind: "mapcount-overflow", topByte: 0x90 });
  });
  it("6.6–6.10: __SetPageBuddy clears 0x80 from UINT_MAX → 0xffffff7f", () => {
    expect(encodePageType("buddy", era("6.6"))).toBe(0xffff_ff7f);
    expect(decodePageType(0xffff_ff7f, era("6.6"))).toEqual({
      kind: "typed",
      type: "buddy",
      ownerBits: 0,
      ownerValue: 0,
    });
    expect(decodePageType(0xffff_fdff, era("6.8"))).toMatchObject({ type: "table" });
  });
  it("PG_slab is a page type from 6.10 (0x1000), not before", () => {
    expect(decodePageType(0xffff_efff, era("6.10"))).toMatchObject({ kind: "typed", type: "slab" });
    expect(decodePageType(0xffff_efff, era("6.9")).kind).toBe("unknown-type");
  });
  it("6.11: high masks, BASE 0x80000000; the low 16 bits are the owner's", () => {
    expect(encodePageType("buddy", era("6.11"))).toBe(0xbfff_ffff);
    expect(decodePageType(0xbfff_1234, era("6.11"))).toEqual({
      kind: "typed",
      type: "buddy",
      ownerBits: 16,
      ownerValue: 0x1234,
    });
    expect(decodePageType(0xffff_0001, era("6.11")).kind).toBe("mapcount");
  });
  it("two type bits cleared at once is reported, not guessed", () => {
    expect(decodePageType(0xffff_fd7f, era("6.9"))).toMatchObject({ kind: "unknown-type" });
  });
  it("every era encodes and decodes each of its types back", () => {
    for (const e of PAGE_TYPE_ERAS) {
      const types = Object.keys(
        e.encoding.style === "top-byte" ? e.encoding.values : e.encoding.bits,
      ) as PageTypeName[];
      for (const t of types)
        expect(decodePageType(encodePageType(t, e), e), `${e.id} ${t}`).toMatchObject({
          kind: "typed",
          type: t,
        });
    }
  });
  it("the eras cover 6.6–7.3 without gaps or overlaps", () => {
    for (let minor = 6; minor <= 19; minor++) expect(() => era(`6.${minor}`)).not.toThrow();
    for (let patch = 0; patch <= 120; patch++) {
      expect(() => era(`6.6.${patch}`)).not.toThrow();
      expect(() => era(`6.8.${patch}`)).not.toThrow();
    }
    for (const v of ["6.6.0", "6.6.29", "6.6.30", "6.8.8", "6.8.9", "7.3.1"]) {
      const hits = PAGE_TYPE_ERAS.filter((e) => kernelInRange(parseKernel(v), e.from, e.to));
      expect(hits.length, v).toBe(1);
    }
    for (let minor = 0; minor <= 3; minor++) expect(() => era(`7.${minor}`)).not.toThrow();
  });
  it("the newest table matches enum pagetype (page-flags.h @03e0599d)", () => {
    expect(Object.fromEntries(PAGE_TYPES.map((t) => [t.name, t.pgty]))).toEqual({
      buddy: 0xf0,
      offline: 0xf1,
      table: 0xf2,
      guard: 0xf3,
      hugetlb: 0xf4,
      slab: 0xf5,
      zsmalloc: 0xf6,
      unaccepted: 0xf7,
      large_kmalloc: 0xf8,
      netpp: 0xf9,
    });
  });
});

describe("the accessor each era declares", () => {
  it("large_kmalloc is FOLIO_TYPE_OPS in 6.15 (message Z8W_1l7lCFqMiwXV@casper.infradead.org), PAGE_TYPE_OPS newest", () => {
    expect(pageTypeTester("large_kmalloc", era("6.15"))).toBe("folio_test_large_kmalloc()");
    expect(pageTypeTester("large_kmalloc", era("7.3"))).toBe("PageLargeKmalloc()");
    expect(pageTypeTester("buddy", era("6.6"))).toBe("PageBuddy()");
    expect(pageTypeTester("hugetlb", era("6.9"))).toBe("folio_test_hugetlb()");
  });
});
