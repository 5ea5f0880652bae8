/**
 * C types as the translation sees them: a memdesc handle (`struct page *`
 * and the descriptors), a type memdesc/sim models (mm_struct, list_head,
 * gfp_t), an integer, a bool — or opaque. Read from tree-sitter's
 * declaration nodes (type specifier plus declarator chain).
 */
import type { Node } from "./parse.js";
import { HANDLE_STRUCTS, MODELLED_TYPES, NUMBER_TYPES } from "./tables.js";

export type CType =
  | { readonly kind: "handle"; readonly struct: string }
  | { readonly kind: "list" }
  | { readonly kind: "listValue" }
  | { readonly kind: "mm" }
  | { readonly kind: "gfp" }
  | { readonly kind: "number" }
  | { readonly kind: "bool" }
  | { readonly kind: "void" }
  | { readonly kind: "opaque"; readonly text: string };

export const OPAQUE: CType = { kind: "opaque", text: "?" };
export const NUMBER: CType = { kind: "number" };

/** The TypeScript type of a C type in a parameter, return or global position. */
export function tsType(t: CType, nullable: boolean): string {
  switch (t.kind) {
    case "handle":
      return `${HANDLE_STRUCTS[t.struct]}${nullable ? " | null" : ""}`;
    case "list":
    case "listValue":
      return "list_head";
    case "mm":
      return "mm_struct";
    case "gfp":
      return "gfp_t";
    case "number":
      return "number";
    case "bool":
      return "boolean";
    case "void":
      return "void";
    default:
      return "any";
  }
}

/** The sim type names a TS type uses (for the import line). */
export function tsTypeNames(t: CType): string[] {
  const s = tsType(t, false);
  return ["any", "number", "boolean", "void"].includes(s) ? [] : [s];
}

export interface Declarator {
  readonly name: string | null;
  readonly pointers: number;
  readonly array: boolean;
  readonly fn: boolean;
  /** The function_declarator's parameter list, when this declares a function. */
  readonly params: Node | null;
  readonly nameNode: Node | null;
}

/** Walk a declarator chain (pointer_declarator → function_declarator → identifier …). */
export function readDeclarator(node: Node | null): Declarator {
  let pointers = 0;
  let array = false;
  let fn = false;
  let params: Node | null = null;
  let n = node;
  while (n) {
    switch (n.type) {
      case "pointer_declarator":
      case "abstract_pointer_declarator":
        pointers++;
        n = n.childForFieldName("declarator");
        continue;
      case "array_declarator":
      case "abstract_array_declarator":
        array = true;
        n = n.childForFieldName("declarator");
        continue;
      case "function_declarator":
      case "abstract_function_declarator":
        if (!fn) {
          fn = true;
          params = n.childForFieldName("parameters");
        }
        n = n.childForFieldName("declarator");
        continue;
      case "init_declarator":
        n = n.childForFieldName("declarator");
        continue;
      case "parenthesized_declarator":
      case "attributed_declarator":
        n = n.namedChild(0);
        continue;
      case "identifier":
      case "field_identifier":
      case "type_identifier":
        return { name: n.text, pointers, array, fn, params, nameNode: n };
      default:
        return { name: null, pointers, array, fn, params, nameNode: null };
    }
  }
  return { name: null, pointers, array, fn, params, nameNode: null };
}

/** The type specifier's spelling: "struct page", "unsigned long", "gfp_t". */
export function specifierText(type: Node | null): string {
  if (!type) return "int";
  if (type.type === "struct_specifier" || type.type === "union_specifier" || type.type === "enum_specifier") {
    const name = type.childForFieldName("name")?.text;
    const word = type.type.replace("_specifier", "");
    return name ? `${word} ${name}` : `${word} {…}`;
  }
  return type.text.replace(/\s+/g, " ");
}

/** The C type of a declaration: specifier + pointers/array. */
export function ctypeOf(spec: string, d: Pick<Declarator, "pointers" | "array" | "fn">): CType {
  const text = `${spec}${d.pointers ? ` ${"*".repeat(d.pointers)}` : ""}`;
  if (d.fn) return { kind: "opaque", text: `${text} (*)()` };
  if (d.array) return { kind: "opaque", text: `${text}[]` };
  const struct = /^struct (\w+)$/.exec(spec)?.[1];
  if (struct && d.pointers === 1 && struct in HANDLE_STRUCTS) return { kind: "handle", struct };
  if (spec === "struct list_head" && d.pointers === 0) return { kind: "listValue" };
  const modelled = MODELLED_TYPES[text];
  if (modelled === "list_head") return { kind: "list" };
  if (modelled === "mm_struct") return { kind: "mm" };
  if (modelled === "gfp_t") return { kind: "gfp" };
  if (d.pointers === 0) {
    const plain = spec.replace(/\b(const|volatile|static|extern|register|inline|signed)\b/g, "").trim();
    if (plain === "bool" || plain === "_Bool") return { kind: "bool" };
    if (plain === "void") return { kind: "void" };
    if (
      NUMBER_TYPES.has(plain) ||
      /^(unsigned |long |short )*(int|long|char|short)$/.test(plain) ||
      plain === ""
    )
      return NUMBER;
    if (spec.startsWith("enum ")) return NUMBER;
  }
  return { kind: "opaque", text };
}
