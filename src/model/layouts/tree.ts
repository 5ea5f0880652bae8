/**
 * The nesting of a layout as C declares it: members, `union { … }` blocks and
 * the anonymous `struct { … }` alternatives inside them, in declaration
 * order. The flat field list is the data; this is a view of it for the
 * pahole-style printer and the docs, and for the overlap checks.
 */
import type { FieldLayout, StructLayout, UnionLayout } from "./types.js";

export type LayoutNode =
  | { readonly kind: "field"; readonly field: FieldLayout }
  | { readonly kind: "union"; readonly union: UnionLayout; readonly members: readonly LayoutNode[] }
  | {
      readonly kind: "struct";
      /** The alternative's id (`alt`) inside its union. */
      readonly alt: string;
      readonly offset: number;
      readonly size: number;
      readonly members: readonly LayoutNode[];
    };

/** The first declaration index of anything in a node, to keep C order. */
function firstIndex(node: LayoutNode, index: ReadonlyMap<FieldLayout, number>): number {
  if (node.kind === "field") return index.get(node.field) ?? 0;
  return Math.min(...node.members.map((m) => firstIndex(m, index)));
}

function extent(nodes: readonly LayoutNode[]): { offset: number; size: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const n of nodes) {
    const [o, s] =
      n.kind === "field"
        ? [n.field.offset, n.field.size]
        : n.kind === "union"
          ? [n.union.offset, n.union.size]
          : [n.offset, n.size];
    lo = Math.min(lo, o);
    hi = Math.max(hi, o + s);
  }
  return { offset: lo, size: hi - lo };
}

/** The top-level members of a struct, with unions and their alternatives nested. */
export function layoutTree(layout: StructLayout): readonly LayoutNode[] {
  const index = new Map(layout.fields.map((f, i) => [f, i] as const));

  const unionNode = (u: UnionLayout): LayoutNode => {
    // Direct children: fields whose innermost union is u, unions whose parent is u.
    const items: { alt: string | undefined; node: LayoutNode }[] = [
      ...layout.fields
        .filter((f) => f.union === u.id)
        .map((f) => ({ alt: f.alt, node: { kind: "field", field: f } as const })),
      ...layout.unions.filter((c) => c.parent === u.id).map((c) => ({ alt: c.alt, node: unionNode(c) })),
    ];
    const members: LayoutNode[] = [];
    const structs = new Map<string, LayoutNode[]>();
    for (const item of items) {
      if (item.alt === undefined) {
        members.push(item.node);
        continue;
      }
      let group = structs.get(item.alt);
      if (!group) {
        group = [];
        structs.set(item.alt, group);
      }
      group.push(item.node);
    }
    for (const [alt, group] of structs) {
      group.sort((a, b) => firstIndex(a, index) - firstIndex(b, index));
      members.push({ kind: "struct", alt, ...extent(group), members: group });
    }
    members.sort((a, b) => firstIndex(a, index) - firstIndex(b, index));
    return { kind: "union", union: u, members };
  };

  const top: LayoutNode[] = [
    ...layout.fields.filter((f) => f.union === undefined).map((f) => ({ kind: "field", field: f }) as const),
    ...layout.unions.filter((u) => u.parent === undefined).map(unionNode),
  ];
  top.sort((a, b) => firstIndex(a, index) - firstIndex(b, index));
  return top;
}

/**
 * The chain of (union, alternative) a field sits in, outermost first. Two
 * fields may share bytes only if their chains reach a common union through
 * different alternatives.
 */
export function unionPath(
  layout: StructLayout,
  field: FieldLayout,
): readonly { union: string; alt: string }[] {
  const path: { union: string; alt: string }[] = [];
  if (field.union === undefined) return path;
  path.unshift({ union: field.union, alt: field.alt ?? `.${field.name}` });
  let current = layout.unions.find((u) => u.id === field.union);
  const seen = new Set<string>();
  while (current?.parent !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    path.unshift({ union: current.parent, alt: current.alt ?? `.${current.id}` });
    const parent = current.parent;
    current = layout.unions.find((u) => u.id === parent);
  }
  return path;
}

/** Whether two members are alternatives of some common union (and may overlap). */
export function areAlternatives(layout: StructLayout, a: FieldLayout, b: FieldLayout): boolean {
  const pa = unionPath(layout, a);
  const pb = unionPath(layout, b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (!x || !y || x.union !== y.union) return false;
    if (x.alt !== y.alt) return true;
  }
  return false;
}
