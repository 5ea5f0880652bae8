/**
 * Decision 0302's rule for separately allocated descriptors, executed:
 * start from today's overlay, drop the members that exist only to line up
 * with struct page, add what a descriptor that is no longer the struct page
 * needs (pfn, order), and lay the rest out again as a C compiler would
 * (natural alignment, 8-byte long, a union as wide as its widest
 * alternative, bitfields sharing their storage unit), with the struct's size
 * rounded up to a 16-byte slab object. A union left with one member, or an
 * anonymous struct left with one member, is no longer written as one.
 *
 * The derived offsets are run-time values (typed `number`): the compile-time
 * layout checks say nothing about them (sound or silent) and
 * test/model/layouts.test.ts checks them instead.
 */
import { type LayoutNode, layoutTree } from "./tree.js";
import type { FieldLayout, FieldTs, StructLayout, UnionLayout } from "./types.js";

/** A member the derivation adds: everything but the offset, which is computed. */
export interface AddedMember {
  readonly name: string;
  readonly size: number;
  readonly ctype: string;
  readonly ts: FieldTs;
  readonly config?: string;
  readonly note?: string;
}

/** One added member and the member it follows. */
export interface Addition {
  readonly after: string;
  readonly member: AddedMember;
}

export interface SeparateSpec<Drop extends string, Adds extends readonly Addition[]> {
  /** Members that only aliased struct page (and refcounts without a get/put API). */
  readonly drop: readonly Drop[];
  /** Members to add, each after the named member (in the same C block). */
  readonly add: Adds;
  readonly source: string;
  readonly derived: string;
  /**
   * The separate layout's own notes, by member. Today's notes describe the
   * overlay (which struct page member each aliases) and are not carried over.
   */
  readonly notes?: Readonly<Record<string, string>>;
}

/**
 * A member of a derived layout: today's name, C type and ts tag; a computed offset. Distributive,
 * one entry per member: given the union of today's members it must not merge them into one entry
 * whose name is every name (Extract<…, { name: N }> of such an entry is `never`, which typed every
 * member of a separate ptdesc/slab/zpdesc as `never` at the later stages).
 */
export type DerivedField<
  F extends { readonly name: string; readonly size: number; readonly ctype: string; readonly ts: FieldTs },
> = F extends unknown
  ? {
      readonly name: F["name"];
      readonly offset: number;
      readonly size: F["size"];
      readonly ctype: F["ctype"];
      readonly ts: F["ts"];
    } & Omit<FieldLayout, "name" | "offset" | "size" | "ctype" | "ts">
  : never;

export interface DerivedLayout<Struct extends string, Fields> {
  readonly struct: Struct;
  readonly size: number;
  readonly overlays: false;
  readonly source: string;
  readonly derived: string;
  readonly unions: readonly UnionLayout[];
  readonly fields: readonly Fields[];
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** Natural alignment on x86-64: the element size up to 8; a u128 (cmpxchg128) 16. */
function fieldAlign(f: FieldLayout): number {
  if (f.ts === "u128") return 16;
  const element = f.count ? f.size / f.count : f.size;
  return Math.min(element, 8);
}

interface Placed {
  readonly fields: Map<string, number>;
  readonly unions: Map<string, { offset: number; size: number }>;
}

function nodeAlign(node: LayoutNode): number {
  if (node.kind === "field") return fieldAlign(node.field);
  return Math.max(1, ...node.members.map(nodeAlign));
}

/** Lay out a sequence (a struct body) from `start`; returns the end offset. */
function placeSequence(nodes: readonly LayoutNode[], start: number, out: Placed): number {
  let at = start;
  let unit: { origin: number; offset: number; end: number } | null = null;
  for (const node of nodes) {
    if (node.kind === "field" && node.field.bits) {
      // Consecutive bitfields of one storage unit share it, as in the source.
      if (unit && unit.origin === node.field.offset) {
        out.fields.set(node.field.name, unit.offset);
        continue;
      }
      const offset = align(at, fieldAlign(node.field));
      unit = { origin: node.field.offset, offset, end: offset + node.field.size };
      out.fields.set(node.field.name, offset);
      at = unit.end;
      continue;
    }
    unit = null;
    at = placeNode(node, align(at, nodeAlign(node)), out);
  }
  return at;
}

/** Place one node at `offset`; returns its end. */
function placeNode(node: LayoutNode, offset: number, out: Placed): number {
  if (node.kind === "field") {
    out.fields.set(node.field.name, offset);
    return offset + node.field.size;
  }
  if (node.kind === "struct") return placeSequence(node.members, offset, out);
  let end = offset;
  for (const m of node.members) end = Math.max(end, placeNode(m, offset, out));
  const size = align(end - offset, nodeAlign(node));
  out.unions.set(node.union.id, { offset, size });
  return offset + size;
}

/** Execute the rule: `deriveSeparate(TODAY.slab, { drop, add, … })`. */
export function deriveSeparate<
  const Overlay extends StructLayout,
  const Drop extends Overlay["fields"][number]["name"],
  const Adds extends readonly Addition[],
>(
  overlay: Overlay,
  spec: SeparateSpec<Drop, Adds>,
): DerivedLayout<
  Overlay["struct"],
  | DerivedField<Exclude<Overlay["fields"][number], { readonly name: Drop }>>
  | DerivedField<Adds[number]["member"]>
> {
  const dropped = new Set<string>(spec.drop);
  for (const name of dropped) {
    if (!overlay.fields.some((f) => f.name === name))
      throw new Error(`${overlay.struct} has no member ${name}`);
  }
  // 1. Drop; collapse what the drops left as a block of one: an anonymous struct with one member,
  //    then a union with one member (repeat: collapsing one may leave its parent with one).
  let fields: FieldLayout[] = overlay.fields.filter((f) => !dropped.has(f.name));
  let unions: UnionLayout[] = [...overlay.unions];
  for (let changed = true; changed; ) {
    changed = false;
    const byAlt = new Map<string, FieldLayout[]>();
    for (const f of fields)
      if (f.union !== undefined && f.alt !== undefined) {
        const key = `${f.union}/${f.alt}`;
        byAlt.set(key, [...(byAlt.get(key) ?? []), f]);
      }
    for (const [key, members] of byAlt) {
      const nestedUnion = unions.some((u) => `${u.parent}/${u.alt}` === key);
      if (members.length === 1 && !nestedUnion) {
        const { alt: _alt, ...rest } = members[0]!;
        fields = fields.map((f) => (f === members[0] ? rest : f));
        changed = true;
      }
    }
    for (const u of unions) {
      const direct = fields.filter((f) => f.union === u.id);
      const children = unions.filter((c) => c.parent === u.id);
      if (direct.length + children.length === 1 && children.length === 0) {
        const only = direct[0]!;
        const { union: _u, alt: _a, ...rest } = only;
        const lifted: FieldLayout = {
          ...rest,
          ...(u.parent === undefined ? {} : { union: u.parent }),
          ...(u.alt === undefined ? {} : { alt: u.alt }),
        };
        fields = fields.map((f) => (f === only ? lifted : f));
        unions = unions.filter((x) => x !== u);
        changed = true;
        break;
      }
      // A union left with one alternative, an anonymous struct (struct folio's `union { struct
      // { … }; struct page page; }` once `page` is dropped), is that struct's members in place.
      const alts = new Set([...direct.map((f) => f.alt), ...children.map((c) => c.alt)]);
      const [alt] = alts;
      if (direct.length + children.length > 1 && alts.size === 1 && alt !== undefined) {
        const place = {
          ...(u.parent === undefined ? {} : { union: u.parent }),
          ...(u.alt === undefined ? {} : { alt: u.alt }),
        };
        const liftField = ({ union: _u, alt: _a, ...rest }: FieldLayout): FieldLayout => ({
          ...rest,
          ...place,
        });
        const liftUnion = ({ parent: _p, alt: _a, ...rest }: UnionLayout): UnionLayout => ({
          ...rest,
          ...(u.parent === undefined ? {} : { parent: u.parent }),
          ...(u.alt === undefined ? {} : { alt: u.alt }),
        });
        fields = fields.map((f) => (f.union === u.id ? liftField(f) : f));
        unions = unions.filter((x) => x !== u).map((c) => (c.parent === u.id ? liftUnion(c) : c));
        changed = true;
        break;
      }
    }
  }
  // 2. Add each new member right after its anchor (same union and alternative).
  for (const { after, member } of spec.add) {
    const i = fields.findIndex((f) => f.name === after);
    if (i < 0) throw new Error(`${overlay.struct}: no member ${after} to add ${member.name} after`);
    const anchor = fields[i]!;
    const added: FieldLayout = {
      ...member,
      offset: anchor.offset + anchor.size,
      ...(anchor.union === undefined ? {} : { union: anchor.union }),
      ...(anchor.alt === undefined ? {} : { alt: anchor.alt }),
    };
    fields = [...fields.slice(0, i + 1), added, ...fields.slice(i + 1)];
  }
  // 3. Lay out again: the tree of what is left, in C order.
  const placed: Placed = { fields: new Map(), unions: new Map() };
  const shape: StructLayout = { ...overlay, fields, unions };
  const tree = layoutTree(shape);
  const end = placeSequence(tree, 0, placed);
  const structAlign = Math.max(1, ...tree.map(nodeAlign));
  const size = align(align(end, structAlign), 16);
  const notes = spec.notes ?? {};
  const out = fields.map((f) => {
    const { name, size: bytes, count, bits, ctype, ts, union, alt, config } = f;
    const note = notes[name] ?? (spec.add.some((a) => a.member.name === name) ? f.note : undefined);
    return {
      name,
      offset: placed.fields.get(name) ?? Number.NaN,
      size: bytes,
      ...(count === undefined ? {} : { count }),
      ...(bits === undefined ? {} : { bits }),
      ctype,
      ts,
      ...(union === undefined ? {} : { union }),
      ...(alt === undefined ? {} : { alt }),
      ...(config === undefined ? {} : { config }),
      ...(note === undefined ? {} : { note }),
    };
  });
  for (const name of Object.keys(notes)) {
    if (!out.some((f) => f.name === name)) throw new Error(`${overlay.struct}: a note for no member ${name}`);
  }
  return {
    struct: overlay.struct,
    size,
    overlays: false,
    source: spec.source,
    derived: spec.derived,
    unions: unions.map((u) => {
      const p = placed.unions.get(u.id)!;
      return {
        id: u.id,
        offset: p.offset,
        size: p.size,
        ...(u.parent === undefined ? {} : { parent: u.parent }),
        ...(u.alt === undefined ? {} : { alt: u.alt }),
      };
    }),
    fields: out as never,
  };
}
