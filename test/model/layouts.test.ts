/**
 * The run-time half of the layout claims (the compile-time half is
 * src/model/layouts/matches.ts): every *_MATCH pair, every size bound, and
 * the structural rules any pahole output obeys.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { MemdescInputError, STAGE_INFO, STAGES } from "../../src/model/index.js";
import {
  ALTERNATIVE_PAGE_LAYOUTS,
  areAlternatives,
  FIELD_TS,
  type FieldLayout,
  getLayout,
  hasField,
  KERNEL_MATCH_ASSERTS,
  LAYOUT_CONFIG,
  LAYOUT_STRUCTS,
  LAYOUTS,
  type LayoutChecks,
  type LayoutField,
  type LayoutFieldNames,
  type LayoutFieldTs,
  type LayoutOffset,
  type LayoutSize,
  layoutTree,
  MATCH_MACRO,
  pageChanges,
  parseLayoutStruct,
  type StructLayout,
} from "../../src/model/layouts/index.js";

const ALL: readonly StructLayout[] = STAGES.flatMap((s) => LAYOUT_STRUCTS.map((k) => getLayout(s, k)));
const WITH_ALTERNATIVES: readonly StructLayout[] = [...ALL, ...ALTERNATIVE_PAGE_LAYOUTS.map((a) => a.layout)];
const label = (l: StructLayout) => `${l.stage} struct ${l.struct}`;

function field(layout: StructLayout, name: string): FieldLayout {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) throw new Error(`${label(layout)} has no member ${name}`);
  return f;
}

/** "page[2].flags" → offset of page's flags + 2 * sizeof(struct page). */
function matchTarget(match: string): { page: number; member: string } {
  const m = /^page\[(\d)\]\.(\w+)$/.exec(match);
  return m ? { page: Number(m[1]), member: m[2] ?? "" } : { page: 0, member: match };
}

/** The size one element of each ts kind has on x86-64 (null: any). */
const TS_SIZE: Record<keyof typeof FIELD_TS, number | null> = {
  flags: 8,
  list_head: 16,
  pointer: 8,
  ulong: 8,
  uint: 4,
  int: 4,
  atomic: 4,
  atomic_long: 8,
  uchar: 1,
  ushort: 2,
  rcu_head: 16,
  spinlock: 4,
  memdesc: 8,
  llist_head: 8,
  llist_node: 8,
  swp_entry: 8,
  u128: 16,
  buddy: 16,
  page: 64,
  pad: null,
};

describe("the layout table", () => {
  it("has the five structs at every stage, each tagged with its own stage and name", () => {
    for (const stage of STAGES) {
      expect(Object.keys(LAYOUTS[stage]).sort()).toEqual([...LAYOUT_STRUCTS].sort());
      for (const struct of LAYOUT_STRUCTS) {
        expect(LAYOUTS[stage][struct].stage).toBe(stage);
        expect(LAYOUTS[stage][struct].struct).toBe(struct);
      }
    }
  });

  it("gives struct page 64, 32, 16 and 8 bytes, as STAGE_INFO says", () => {
    expect(STAGES.map((s) => LAYOUTS[s].page.size)).toEqual([64, 32, 16, 8]);
    for (const s of STAGES) expect(LAYOUTS[s].page.size).toBe(STAGE_INFO[s].pageBytes);
  });

  it("makes struct page at the final stage exactly { unsigned long memdesc; }", () => {
    expect(LAYOUTS.final.page.fields).toEqual([
      expect.objectContaining({ name: "memdesc", offset: 0, size: 8, ctype: "unsigned long", ts: "memdesc" }),
    ]);
  });

  it("overlays struct page today and allocates descriptors separately afterwards", () => {
    for (const s of STAGES) {
      for (const k of LAYOUT_STRUCTS.filter((x) => x !== "page")) {
        expect(LAYOUTS[s][k].overlays, `${s} ${k}`).toBe(!STAGE_INFO[s].separateDescriptors);
      }
      expect(LAYOUTS[s].page.overlays).toBe(false);
    }
  });

  it("names a source for every layout and marks what is derived", () => {
    for (const l of ALL) expect(l.source.length, label(l)).toBeGreaterThan(10);
    for (const s of ["interim32", "interim16", "final"] as const) {
      for (const k of ["ptdesc", "slab", "zpdesc"] as const) expect(LAYOUTS[s][k].derived).toMatch(/no plan/);
    }
  });

  it("records the config the offsets assume", () => {
    const symbols = LAYOUT_CONFIG.assumptions.map((a) => a.symbol);
    for (const s of [
      "CONFIG_64BIT",
      "CONFIG_MEMCG",
      "CONFIG_SLAB_OBJ_EXT",
      "CONFIG_KMSAN",
      "WANT_PAGE_VIRTUAL",
      "LAST_CPUPID_NOT_IN_PAGE_FLAGS",
      "ALLOC_SPLIT_PTLOCKS",
    ]) {
      expect(symbols).toContain(s);
    }
  });
});

describe("today's overlays (the kernel's static_asserts)", () => {
  const page = LAYOUTS.today.page;

  it.each(KERNEL_MATCH_ASSERTS.map((a) => [`${a.macro}(${a.pg}, ${a.field}) +${a.page}`, a] as const))(
    "%s",
    (_, a) => {
      const overlay = LAYOUTS.today[a.struct];
      expect(field(overlay, a.field).offset).toBe(field(page, a.pg).offset + a.page * page.size);
    },
  );

  it("every `matches` pair sits on its struct page member (offsets only, as offsetof() asserts)", () => {
    for (const k of ["folio", "ptdesc", "slab", "zpdesc"] as const) {
      for (const f of getLayout("today", k).fields) {
        if (f.matches === undefined) continue;
        const t = matchTarget(f.matches);
        expect(f.offset, `${k}.${f.name} matches ${f.matches}`).toBe(
          field(page, t.member).offset + t.page * 64,
        );
      }
    }
  });

  it("every `matches` is one of the kernel's asserts, and every assert's member carries one", () => {
    for (const k of ["folio", "ptdesc", "slab", "zpdesc"] as const) {
      for (const f of getLayout("today", k).fields) {
        if (f.matches === undefined) continue;
        const t = matchTarget(f.matches);
        const found = KERNEL_MATCH_ASSERTS.some(
          (a) => a.struct === k && a.field === f.name && a.pg === t.member && a.page === t.page,
        );
        expect(found, `${MATCH_MACRO[k]}(${f.matches}, ${f.name}) is not a kernel assert`).toBe(true);
      }
    }
    for (const a of KERNEL_MATCH_ASSERTS)
      expect(field(LAYOUTS.today[a.struct], a.field).matches).toBeDefined();
  });

  it("keeps the overlays inside struct page (static_assert(sizeof(...) <= sizeof(struct page)))", () => {
    for (const k of ["ptdesc", "slab", "zpdesc"] as const) {
      expect(LAYOUTS.today[k].size).toBeLessThanOrEqual(page.size);
    }
    expect(LAYOUTS.today.folio.size).toBe(4 * page.size);
  });

  it("keeps struct zpdesc (56 bytes) out of memcg_data", () => {
    expect(LAYOUTS.today.zpdesc.size).toBe(56);
    expect(LAYOUTS.today.zpdesc.size).toBeLessThanOrEqual(field(page, "memcg_data").offset);
  });

  it("puts the folio order in the low byte of the second page's flags (_flags_1 at 64)", () => {
    expect(field(LAYOUTS.today.folio, "_flags_1")).toMatchObject({ offset: 64, matches: "page[1].flags" });
    expect(field(LAYOUTS.today.folio, "_deferred_list")).toMatchObject({ offset: 144, size: 16 });
    expect(field(LAYOUTS.today.folio, "hugetlb_hwpoison")).toMatchObject({ offset: 232, ts: "llist_head" });
  });

  it("lays out struct page as the kernel does: union of five words at 8, page_type/_mapcount at 48", () => {
    const at = (n: string) => [field(page, n).offset, field(page, n).size];
    expect(at("flags")).toEqual([0, 8]);
    expect(at("lru")).toEqual([8, 16]);
    expect(at("compound_info")).toEqual([8, 8]);
    expect(at("mapping")).toEqual([24, 8]);
    expect(at("__folio_index")).toEqual([32, 8]);
    expect(at("private")).toEqual([40, 8]);
    expect(at("pp_ref_count")).toEqual([40, 8]);
    expect(at("page_type")).toEqual([48, 4]);
    expect(at("_mapcount")).toEqual([48, 4]);
    expect(at("_refcount")).toEqual([52, 4]);
    expect(at("memcg_data")).toEqual([56, 8]);
    expect(page.unions.find((u) => u.id === "words")).toMatchObject({ offset: 8, size: 40 });
  });
});

describe.each(WITH_ALTERNATIVES.map((l) => [label(l), l] as const))("%s", (_, layout) => {
  it("has unique member names", () => {
    const names = layout.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("keeps every member inside the struct, with sizes its C type allows", () => {
    for (const f of layout.fields) {
      expect(f.offset, f.name).toBeGreaterThanOrEqual(0);
      expect(f.offset + f.size, f.name).toBeLessThanOrEqual(layout.size);
      expect(Object.keys(FIELD_TS)).toContain(f.ts);
      const unit = TS_SIZE[f.ts];
      if (unit !== null) expect(f.size, `${f.name}: ${f.ts} × ${f.count ?? 1}`).toBe(unit * (f.count ?? 1));
      if (f.bits) expect(f.bits.shift + f.bits.width, f.name).toBeLessThanOrEqual(f.size * 8);
    }
  });

  it("aligns every member naturally and the struct to its widest member", () => {
    for (const f of layout.fields) {
      const unit = Math.min(8, f.size / (f.count ?? 1));
      expect(f.offset % unit, f.name).toBe(0);
    }
    expect(layout.size % Math.min(8, ...layout.fields.map((f) => f.size))).toBe(0);
  });

  it("starts every alternative of a union at the union's offset and stays inside it", () => {
    for (const u of layout.unions) {
      if (u.parent !== undefined) expect(layout.unions.map((x) => x.id)).toContain(u.parent);
      const members = layout.fields.filter((f) => f.union === u.id);
      const children = layout.unions.filter((c) => c.parent === u.id);
      expect(members.length + children.length, `union ${u.id} is empty`).toBeGreaterThan(0);
      const starts = new Map<string, number>();
      let end = 0;
      for (const [key, o, s] of [
        ...members.map((f) => [f.alt ?? `.${f.name}`, f.offset, f.size] as const),
        ...children.map((c) => [c.alt ?? `.${c.id}`, c.offset, c.size] as const),
      ]) {
        starts.set(key, Math.min(starts.get(key) ?? o, o));
        expect(o, `union ${u.id}`).toBeGreaterThanOrEqual(u.offset);
        end = Math.max(end, o + s);
      }
      for (const [key, start] of starts) expect(start, `union ${u.id} alternative ${key}`).toBe(u.offset);
      expect(end, `union ${u.id} is as wide as its widest alternative`).toBe(u.offset + u.size);
    }
    for (const f of layout.fields) {
      if (f.union !== undefined) expect(layout.unions.map((u) => u.id)).toContain(f.union);
    }
  });

  it("overlaps members only where a union makes them alternatives", () => {
    const fs = layout.fields;
    for (let i = 0; i < fs.length; i++) {
      for (let j = i + 1; j < fs.length; j++) {
        const a = fs[i];
        const b = fs[j];
        if (!a || !b) continue;
        const bytesOverlap = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
        if (!bytesOverlap) continue;
        const disjointBits =
          a.bits &&
          b.bits &&
          a.offset === b.offset &&
          (a.bits.shift + a.bits.width <= b.bits.shift || b.bits.shift + b.bits.width <= a.bits.shift);
        if (disjointBits) continue;
        expect(areAlternatives(layout, a, b), `${a.name} and ${b.name} overlap outside a union`).toBe(true);
      }
    }
  });

  it("nests into a tree that accounts for every member once", () => {
    const seen: string[] = [];
    const walk = (nodes: ReturnType<typeof layoutTree>) => {
      for (const n of nodes) {
        if (n.kind === "field") seen.push(n.field.name);
        else walk(n.members);
      }
    };
    walk(layoutTree(layout));
    expect(seen.sort()).toEqual(layout.fields.map((f) => f.name).sort());
  });

  if (layout.overlays === false && layout.struct !== "page" && layout.stage !== "today") {
    it("is a whole number of 16-byte units (a 16-byte-aligned slab object)", () => {
      expect(layout.size % 16).toBe(0);
    });
  }
});

describe("separately allocated descriptors", () => {
  it("are the same at interim32, interim16 and final", () => {
    for (const k of ["folio", "ptdesc", "slab", "zpdesc"] as const) {
      const { stage: _a, ...i32 } = LAYOUTS.interim32[k];
      const { stage: _b, ...i16 } = LAYOUTS.interim16[k];
      const { stage: _c, ...fin } = LAYOUTS.final[k];
      expect(i16).toEqual(i32);
      expect(fin).toEqual(i32);
    }
  });

  it("give struct folio today's own members (large-folio ones included) plus order and pfn, 160 bytes", () => {
    // By hand from struct folio in include/linux/mm_types.h (linux-mm/linux-mm @0199209e47e0), x86-64,
    // with the overlay removed (decision 0303): the first page's block is unchanged (flags 0; the lru
    // union 8..24, mlock_count at its start once __filler is gone; mapping 24; index 32; private 40;
    // _mapcount 48; _refcount 52; memcg_data 56). The second page's block without _flags_1, _head_1,
    // _usable_1, _mapcount_1, _refcount_1: four atomic_t 64, 68, 72, 76; _mm_id_mapcount[2] (int) 80..88;
    // the _mm_id / _mm_ids union 88..96 (unsigned long: 8-aligned); _nr_pages 96; order (1 byte) in the
    // hole at 100. _deferred_list (8-aligned) 104..120; the three hugetlb pointers 120, 128, 136;
    // hugetlb_hwpoison 144; pfn 152; 160 bytes, already a multiple of 16.
    const offsets = Object.fromEntries(LAYOUTS.final.folio.fields.map((f) => [f.name, f.offset]));
    expect(offsets).toEqual({
      flags: 0,
      lru: 8,
      mlock_count: 8,
      pgmap: 8,
      mapping: 24,
      index: 32,
      share: 32,
      private: 40,
      swap: 40,
      migrate_info: 40,
      _mapcount: 48,
      _refcount: 52,
      memcg_data: 56,
      _large_mapcount: 64,
      _nr_pages_mapped: 68,
      _entire_mapcount: 72,
      _pincount: 76,
      _mm_id_mapcount: 80,
      _mm_id: 88,
      _mm_ids: 88,
      _nr_pages: 96,
      order: 100,
      _deferred_list: 104,
      _hugetlb_subpool: 120,
      _hugetlb_cgroup: 128,
      _hugetlb_cgroup_rsvd: 136,
      hugetlb_hwpoison: 144,
      pfn: 152,
    });
    expect(Object.keys(offsets)).toHaveLength(28);
    expect(LAYOUTS.final.folio.size).toBe(160);
    expect(LAYOUTS.final.folio.unions.map((u) => [u.id, u.offset, u.size])).toEqual([
      ["lru", 8, 16],
      ["index", 32, 8],
      ["private", 40, 8],
      ["mm_id", 88, 8],
    ]);
  });

  it("drop struct folio's overlay of struct page: embedded pages, per-page copies, padding", () => {
    for (const name of [
      "page",
      "__page_1",
      "__page_2",
      "__page_3",
      "_flags_1",
      "_head_1",
      "_mapcount_1",
      "_refcount_1",
      "_usable_1",
      "_flags_2",
      "_head_2",
      "_flags_3",
      "_head_3",
      "__filler",
    ]) {
      for (const s of ["interim32", "interim16", "final"] as const)
        expect(hasField(s, "folio", name), `${s} ${name}`).toBe(false);
    }
  });

  it("keep slab->freelist 16-byte aligned for cmpxchg128 at every stage", () => {
    for (const s of STAGES) expect(field(LAYOUTS[s].slab, "freelist").offset % 16).toBe(0);
  });

  it("drop the members that only aliased struct page", () => {
    for (const name of ["_pt_pad_1", "_pt_pad_2", "__page_mapping", "__page_type", "__page_refcount"]) {
      expect(hasField("final", "ptdesc", name), name).toBe(false);
    }
    expect(hasField("final", "slab", "__page_type")).toBe(false);
  });
});

describe("what each stage removes from struct page", () => {
  const changes = pageChanges();

  it("interim32 removes the five-word union's users but keeps flags, the free lists, private and the counts", () => {
    const c = changes.find((x) => x.stage === "interim32");
    expect(c?.removed).toEqual(
      expect.arrayContaining(["lru", "mapping", "__folio_index", "compound_info", "page_type", "memcg_data"]),
    );
    expect(c?.removed).not.toContain("flags");
    expect(c?.added).toEqual(["memdesc"]);
  });

  it("interim16 removes flags, private, _mapcount, _refcount and the list_heads; adds struct buddy", () => {
    const c = changes.find((x) => x.stage === "interim16");
    expect([...(c?.removed ?? [])].sort()).toEqual([
      "_mapcount",
      "_refcount",
      "buddy_list",
      "flags",
      "pcp_list",
      "private",
    ]);
    expect(c?.added).toEqual(["buddy"]);
  });

  it("final leaves only memdesc", () => {
    const c = changes.find((x) => x.stage === "final");
    expect(c?.removed).toEqual(["buddy"]);
    expect(c?.added).toEqual([]);
  });
});

describe("parseLayoutStruct", () => {
  it("accepts the five names, with or without 'struct '", () => {
    expect(parseLayoutStruct("ptdesc")).toBe("ptdesc");
    expect(parseLayoutStruct("struct folio")).toBe("folio");
  });
  it("rejects anything else with an input error", () => {
    expect(() => parseLayoutStruct("anon_folio")).toThrow(MemdescInputError);
    expect(() => parseLayoutStruct("Page")).toThrow(/unknown struct 'Page'/);
  });
});

describe("the types the handle types are built from", () => {
  it("know which members exist at each stage", () => {
    expectTypeOf<LayoutFieldNames<"final", "page">>().toEqualTypeOf<"memdesc">();
    expectTypeOf<LayoutFieldNames<"interim16", "page">>().toEqualTypeOf<"memdesc" | "buddy">();
    expectTypeOf<"lru">().toExtend<LayoutFieldNames<"today", "page">>();
    expectTypeOf<"buddy_list">().toExtend<LayoutFieldNames<"today", "page">>();
    expectTypeOf<"pmd_huge_pte">().toExtend<LayoutFieldNames<"today", "ptdesc">>();
    expectTypeOf<"lru">().not.toExtend<LayoutFieldNames<"interim32", "page">>();
  });

  it("carry each member's ts tag, offset and size as literals", () => {
    expectTypeOf<LayoutField<"today", "page", "lru">["ts"]>().toEqualTypeOf<"list_head">();
    expectTypeOf<LayoutField<"today", "ptdesc", "ptl">["ts"]>().toEqualTypeOf<"spinlock">();
    expectTypeOf<LayoutField<"final", "page", "memdesc">["ts"]>().toEqualTypeOf<"memdesc">();
    expectTypeOf<LayoutFieldTs<"today", "slab", "freelist_counters">>().toEqualTypeOf<"u128">();
    expectTypeOf<LayoutFieldTs<"final", "page", "lru">>().toEqualTypeOf<never>();
    expectTypeOf<LayoutOffset<"today", "folio", "_flags_1">>().toEqualTypeOf<64>();
    expectTypeOf<LayoutSize<"final", "page">>().toEqualTypeOf<8>();
    expectTypeOf<LayoutSize<"today", "page">>().toEqualTypeOf<64>();
  });

  it("prove every compile-time layout check true", () => {
    expectTypeOf<LayoutChecks[number]>().toEqualTypeOf<true>();
  });
});
