import { describe, expect, it } from "vitest";
import { parseKernel } from "../../src/model/kernel.js";
import {
  decodePageType,
  encodePageType,
  PAGE_TYPE_ERAS,
  PAGE_TYPE_NONE,
  PAGE_TYPES,
  type PageTypeName,
  pageTypeEra,
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
  it("PGTY_netpp exists only in the newest tree, large_kmalloc from 6.15", () => {
    expect(decodePageType(0xf900_0000, era("7.3")).kind).toBe("typed");
    expect(decodePageType(0xf900_0000, era("7.2")).kind).toBe("unknown-type");
    expect(decodePageType(0xf800_0000, era("6.15")).kind).toBe("typed");
    expect(decodePageType(0xf800_0000, era("6.14")).kind).toBe("unknown-type");
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
