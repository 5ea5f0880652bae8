/**
 * deriveSeparate() executes decision 0302's rule. Expected offsets worked out
 * by hand with x86-64 alignment (long and pointers 8, atomic_t/spinlock_t 4,
 * unsigned char 1, u128 16), from today's struct ptdesc in
 * include/linux/mm_types.h (linux-mm/linux-mm @0199209e47e0).
 */
import { describe, expect, it } from "vitest";
import { deriveSeparate } from "../../src/model/layouts/derive.js";
import { TODAY } from "../../src/model/layouts/today.js";
import { member, type StructLayout } from "../../src/model/layouts/types.js";

const offsets = (l: { fields: readonly { name: string; offset: number }[] }) =>
  Object.fromEntries(l.fields.map((f) => [f.name, f.offset]));

describe("deriveSeparate", () => {
  it("separates struct ptdesc as the rule says (offsets by hand)", () => {
    const pt = deriveSeparate(TODAY.ptdesc, {
      drop: ["_pt_pad_1", "__page_mapping", "_pt_pad_2", "__page_type", "__page_refcount"],
      add: [
        { after: "ptl", member: { name: "order", size: 1, ctype: "unsigned char", ts: "uchar" } },
        { after: "order", member: { name: "pfn", size: 8, ctype: "unsigned long", ts: "ulong" } },
      ],
      source: "test",
      derived: "test",
    });
    // pt_flags 0..8; union { rcu_head, list_head, pmd_huge_pte } 8..24 (pmd_huge_pte moves to 8
    // once _pt_pad_1 is gone); union { pt_index … } 24..32; ptl 32..36 (its union with
    // _pt_pad_2 is gone); order 36; pfn aligned to 40; pt_memcg_data 48; 56 → 64 (16-byte slab object).
    expect(offsets(pt)).toEqual({
      pt_flags: 0,
      pt_rcu_head: 8,
      pt_list: 8,
      pmd_huge_pte: 8,
      pt_index: 24,
      pt_mm: 24,
      pt_frag_refcount: 24,
      pt_share_count: 24,
      ptl: 32,
      order: 36,
      pfn: 40,
      pt_memcg_data: 48,
    });
    expect(pt.size).toBe(64);
    expect(pt.unions.map((u) => u.id)).toEqual(["rcu", "index"]);
    expect(pt.fields.find((f) => f.name === "ptl")).not.toHaveProperty("union");
    expect(pt.fields.find((f) => f.name === "pmd_huge_pte")).not.toHaveProperty("alt");
    expect(pt.fields.some((f) => "matches" in f)).toBe(false);
  });

  it("keeps bitfields in one storage unit and a u128 16-byte aligned", () => {
    const toy = {
      struct: "slab",
      stage: "today",
      size: 64,
      overlays: true,
      source: "toy",
      unions: [{ id: "u", offset: 16, size: 16 }],
      fields: [
        member("a", 0, 1, "unsigned char", "uchar"),
        member("x", 4, 4, "unsigned", "uint", { bits: { shift: 0, width: 16 } }),
        member("y", 4, 4, "unsigned", "uint", { bits: { shift: 16, width: 16 } }),
        member("pad", 8, 8, "unsigned long", "pad"),
        member("w", 16, 16, "freelist_full_t", "u128", { union: "u" }),
        member("p", 16, 8, "void *", "pointer", { union: "u" }),
      ],
    } as const satisfies StructLayout;
    const d = deriveSeparate(toy, { drop: ["pad"], add: [], source: "t", derived: "t" });
    // a 0; x and y share the unit at 4; the union (16-aligned for the u128) at 16; 32 bytes.
    expect(offsets(d)).toEqual({ a: 0, x: 4, y: 4, w: 16, p: 16 });
    expect(d.size).toBe(32);
  });

  it("writes a union left with one anonymous struct as that struct's members (struct folio's page unions)", () => {
    // union u { struct { a; b; union v { c; d; }; }; struct page pg; } once pg is dropped: a, b and
    // the union v are members of the struct itself. By hand: a 0..8, b 8..12, v 16..24 (8-aligned),
    // 24 → 32 (16-byte slab object).
    const toy = {
      struct: "folio",
      stage: "today",
      size: 64,
      overlays: true,
      source: "toy",
      unions: [
        { id: "u", offset: 0, size: 64 },
        { id: "v", offset: 16, size: 8, parent: "u", alt: "s" },
      ],
      fields: [
        member("a", 0, 8, "unsigned long", "ulong", { union: "u", alt: "s" }),
        member("b", 8, 4, "unsigned int", "uint", { union: "u", alt: "s" }),
        member("c", 16, 8, "void *", "pointer", { union: "v" }),
        member("d", 16, 4, "atomic_t", "atomic", { union: "v" }),
        member("pg", 0, 64, "struct page", "page", { union: "u" }),
      ],
    } as const satisfies StructLayout;
    const d = deriveSeparate(toy, { drop: ["pg"], add: [], source: "t", derived: "t" });
    expect(offsets(d)).toEqual({ a: 0, b: 8, c: 16, d: 16 });
    expect(d.size).toBe(32);
    expect(d.unions).toEqual([{ id: "v", offset: 16, size: 8 }]);
    expect(d.fields.find((f) => f.name === "a")).not.toHaveProperty("union");
    expect(d.fields.find((f) => f.name === "c")).toMatchObject({ union: "v" });
  });

  it("rejects a member the overlay does not have", () => {
    expect(() =>
      deriveSeparate(TODAY.zpdesc, {
        drop: ["nope" as never],
        add: [],
        source: "t",
        derived: "t",
      }),
    ).toThrow("zpdesc has no member nope");
  });
});
