/**
 * Struct layouts per stage: `struct page`, `struct folio`, `struct ptdesc`,
 * `struct slab` and `struct zpdesc` at `today` (overlays of the 64-byte page),
 * `interim32`, `interim16` and `final` (separately allocated descriptors).
 *
 * `LAYOUTS` is `as const`: `LayoutFieldNames<"final", "page">` is `"memdesc"`,
 * and the handle types are mapped types over these entries. Docs:
 * docs/reference/layouts.md (generated); decisions: docs/decisions/03xx.
 */
import { inputError } from "../errors.js";
import { STAGES, type Stage } from "../stage.js";
import { FINAL } from "./final.js";
import { INTERIM16 } from "./interim16.js";
import { INTERIM32 } from "./interim32.js";
import { TODAY } from "./today.js";
import { LAYOUT_STRUCTS, type LayoutStruct, type LayoutTable, type StructLayout } from "./types.js";

export { ALTERNATIVE_PAGE_LAYOUTS, type AlternativeLayout } from "./alternatives.js";
export { type ConfigAssumption, LAYOUT_CONFIG } from "./config.js";
export {
  KERNEL_MATCH_ASSERTS,
  KERNEL_SIZE_ASSERTS,
  type KernelMatchAssert,
  type LayoutChecks,
  MATCH_MACRO,
  type MatchesOk,
  type OverlayStruct,
} from "./matches.js";
export { areAlternatives, type LayoutNode, layoutTree, unionPath } from "./tree.js";
export {
  type BitfieldLayout,
  FIELD_TS,
  type FieldLayout,
  type FieldTs,
  LAYOUT_STRUCTS,
  type LayoutStruct,
  type LayoutTable,
  type StageLayouts,
  type StructLayout,
  type UnionLayout,
} from "./types.js";

/** Every struct at every stage. */
export const LAYOUTS = {
  today: TODAY,
  interim32: INTERIM32,
  interim16: INTERIM16,
  final: FINAL,
} as const satisfies LayoutTable;

export type Layouts = typeof LAYOUTS;

/** The layout entry of struct `Struct` at stage `S`. */
export type LayoutOf<S extends Stage, Struct extends LayoutStruct> = Layouts[S][Struct];

/** The C member names of `struct Struct` at stage `S`, every union alternative included. */
export type LayoutFieldNames<S extends Stage, Struct extends LayoutStruct> = LayoutOf<
  S,
  Struct
>["fields"][number]["name"];

/** The entry of member `Name` (read its `ts`, `offset`, `ctype`, …). */
export type LayoutField<
  S extends Stage,
  Struct extends LayoutStruct,
  Name extends LayoutFieldNames<S, Struct>,
> = Extract<LayoutOf<S, Struct>["fields"][number], { readonly name: Name }>;

/**
 * The `ts` tag of member `Name` (any string; `never` when the member does not
 * exist at that stage) — the shape the handle types' field mapping takes.
 */
export type LayoutFieldTs<S extends Stage, Struct extends LayoutStruct, Name extends string> = Extract<
  LayoutOf<S, Struct>["fields"][number],
  { readonly name: Name }
>["ts"];

/** offsetof(struct Struct, Name) at stage S, as a literal type. */
export type LayoutOffset<
  S extends Stage,
  Struct extends LayoutStruct,
  Name extends LayoutFieldNames<S, Struct>,
> = LayoutField<S, Struct, Name>["offset"];

/** sizeof(struct Struct) at stage S, as a literal type. */
export type LayoutSize<S extends Stage, Struct extends LayoutStruct> = LayoutOf<S, Struct>["size"];

/** The layout of one struct at one stage. */
export function getLayout(stage: Stage, struct: LayoutStruct): StructLayout {
  return LAYOUTS[stage][struct];
}

/** Parse a struct name from the command line; `struct page` and `page` both work. */
export function parseLayoutStruct(text: string): LayoutStruct {
  const name = text.trim().replace(/^struct\s+/, "");
  if ((LAYOUT_STRUCTS as readonly string[]).includes(name)) return name as LayoutStruct;
  return inputError(`unknown struct '${text}' (known: ${LAYOUT_STRUCTS.join(", ")})`);
}

/** Whether `struct Struct` has member `name` at `stage` (the run-time form of MD007). */
export function hasField(stage: Stage, struct: LayoutStruct, name: string): boolean {
  return getLayout(stage, struct).fields.some((f) => f.name === name);
}

export interface StageChange {
  readonly stage: Stage;
  readonly pageBytes: number;
  /** struct page members of the previous stage that this stage no longer has. */
  readonly removed: readonly string[];
  /** struct page members this stage adds. */
  readonly added: readonly string[];
}

/** What each stage does to struct page, computed from the layouts. */
export function pageChanges(): readonly StageChange[] {
  return STAGES.map((stage, i) => {
    const names = new Set(LAYOUTS[stage].page.fields.map((f) => f.name));
    const prevStage = i > 0 ? STAGES[i - 1] : undefined;
    const prev = new Set(prevStage ? LAYOUTS[prevStage].page.fields.map((f) => f.name) : []);
    return {
      stage,
      pageBytes: LAYOUTS[stage].page.size,
      removed: prevStage ? [...prev].filter((n) => !names.has(n)) : [],
      added: prevStage ? [...names].filter((n) => !prev.has(n)) : [...names],
    };
  });
}
