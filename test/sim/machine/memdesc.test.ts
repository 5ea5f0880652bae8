import { describe, expect, it } from "vitest";
import {
  DESCRIPTOR_ALIGN,
  decodeMemdesc,
  KERNEL_ADDRESS_MIN,
  MEMDESC_KINDS,
  MISC_FIELDS,
  PATH_INTERIM,
  WIKI_PAGE,
} from "../../../src/model/index.js";
import { __GFP_COMP, GFP_KERNEL, Machine, MISC_ORDER_MASK } from "../../../src/sim/machine/index.js";

// The expected words are built from the model's decoder (decodeMemdesc), not
// from the machine's encoder: wiki-source table, Misc 0, Buddy 1, File 2,
// Slab 5, Movable/zpdesc 6, PageTable 7.
describe("memdesc words through every transition", () => {
  it("boot: every page is Buddy; the block head carries the order", () => {
    const m = new Machine({ pages: 24, pcp: false });
    expect(decodeMemdesc(m.memdescWord(0))).toMatchObject({ payload: "buddy", order: 4 });
    expect(decodeMemdesc(m.memdescWord(16))).toMatchObject({ payload: "buddy", order: 3 });
    for (const p of [1, 15, 17, 23])
      expect(decodeMemdesc(m.memdescWord(p))).toMatchObject({ payload: "buddy", order: 0 });
  });

  it("alloc_pages: Misc 'unknown' with the allocation order on every page; free: Buddy again, merged", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    for (let q = p; q < p + 4; q++) {
      expect(decodeMemdesc(m.memdescWord(q))).toMatchObject({
        payload: "misc",
        subtype: 2,
        subtypeName: "unknown",
        order: 2,
      });
    }
    expect(m.memdescWord(p)).toBe(0x2020n); // Misc 0 | subtype 2 << 4 | order 2 << 12
    // The split-off free halves: 4 (order 2), 8 (order 3) head their blocks.
    expect(decodeMemdesc(m.memdescWord(4))).toMatchObject({ payload: "buddy", order: 2 });
    expect(decodeMemdesc(m.memdescWord(8))).toMatchObject({ payload: "buddy", order: 3 });
    m.freePages("__free_pages", p, 2);
    expect(decodeMemdesc(m.memdescWord(0))).toMatchObject({ payload: "buddy", order: 4 });
    for (let q = 1; q < 16; q++)
      expect(decodeMemdesc(m.memdescWord(q))).toMatchObject({ payload: "buddy", order: 0 });
  });

  it("a descriptor kind points every page at one 16-byte-aligned kernel address of the kind's pool", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const a = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    const b = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.setMemdescKind("memdesc", a, "ptdesc");
    m.setMemdescKind("memdesc", b, "ptdesc");
    const da = decodeMemdesc(m.memdescWord(a));
    const db = decodeMemdesc(m.memdescWord(b));
    expect(da).toMatchObject({ payload: "pointer", entry: { type: 7, kind: "ptdesc" } });
    if (da.payload !== "pointer" || db.payload !== "pointer") throw new Error("not pointers");
    expect(da.address % BigInt(DESCRIPTOR_ALIGN)).toBe(0n);
    expect(da.address >= KERNEL_ADDRESS_MIN).toBe(true);
    // Consecutive objects of one slab cache: one object size apart.
    expect(db.address - da.address).toBe(BigInt(MEMDESC_KINDS.ptdesc.descriptorBytes));
    for (let q = a; q < a + 4; q++) expect(m.memdescWord(q)).toBe(m.memdescWord(a));
    expect(m.memdescKind(a + 3)).toBe("ptdesc");
    expect(m.descriptorAddress(a + 1)).toBe(da.address);
    expect(m.stats().descriptors).toEqual([{ kind: "ptdesc", objectBytes: 64, live: 2, carved: 2 }]);
  });

  it("descriptors are reused last-in first-out after the allocation is freed", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const a = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 1);
    m.setMemdescKind("memdesc", a, "folio");
    const addr = m.descriptorAddress(a);
    m.freePages("__free_pages", a, 1);
    expect(m.stats().descriptors).toEqual([{ kind: "folio", objectBytes: 160, live: 0, carved: 1 }]);
    const b = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    m.setMemdescKind("memdesc", b, "folio");
    expect(m.descriptorAddress(b)).toBe(addr);
  });

  it("kinds have separate pools; going back to misc gives the descriptor back", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setMemdescKind("memdesc", a, "slab");
    const slab = m.descriptorAddress(a)!;
    m.setMemdescKind("memdesc", a, "zpdesc");
    const zp = m.descriptorAddress(a)!;
    expect(slab >> 32n).not.toBe(zp >> 32n);
    expect(decodeMemdesc(m.memdescWord(a))).toMatchObject({ payload: "pointer", entry: { type: 6 } });
    m.setMemdescKind("memdesc", a, "misc");
    expect(decodeMemdesc(m.memdescWord(a))).toMatchObject({
      payload: "misc",
      subtypeName: "unknown",
      order: 0,
    });
    expect(m.descriptorAddress(a)).toBeNull();
    expect(m.stats().descriptors.map((d) => d.live)).toEqual([0, 0]);
    m.setMiscSubtype("memdesc", a, "vmalloc");
    expect(decodeMemdesc(m.memdescWord(a))).toMatchObject({ payload: "misc", subtypeName: "vmalloc" });
  });

  it("a kind set on a page inside an allocation is MD006; buddy is the allocator's", () => {
    const m = new Machine({ pages: 64, pcp: false, onViolation: "collect" });
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.setMemdescKind("memdesc", a + 1, "folio");
    expect(m.violations.map((v) => v.rule)).toEqual(["MD006"]);
    expect(() => m.setMemdescKind("memdesc", a, "buddy")).toThrow(/page allocator/);
  });

  it("follows the chosen table: path-interim has Misc 1 and Buddy 0, and no ptdesc type", () => {
    const m = new Machine({ pages: 16, pcp: false, memdescTable: PATH_INTERIM });
    expect(decodeMemdesc(m.memdescWord(0), PATH_INTERIM)).toMatchObject({ payload: "buddy", order: 4 });
    expect(m.memdescWord(0) & 0xfn).toBe(0n);
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    expect(decodeMemdesc(m.memdescWord(p), PATH_INTERIM)).toMatchObject({
      payload: "misc",
      order: 1,
      entry: { type: 1 },
    });
    expect(() => m.setMemdescKind("memdesc", p, "ptdesc")).toThrow(/assigns no descriptor type to ptdesc/);
  });

  it("refuses a table without an inline Misc word or an embedded buddy word (wiki-page view)", () => {
    expect(() => new Machine({ pages: 16, memdescTable: WIKI_PAGE })).toThrow(
      /wiki-page.*(no inline Misc type|embedded buddy word only)/,
    );
  });

  it("keeps the machine's Misc order mask equal to the model's field", () => {
    expect(MISC_ORDER_MASK).toBe(((1 << MISC_FIELDS.order.width) - 1) << MISC_FIELDS.order.shift);
  });
});
