/**
 * Findings as data (DESIGN.md "Errors are data"): a broken rule is
 * `{ rule, op, pfn, fields }`, and each rule declares its fields and ONE
 * sentence template here. The same template is rendered
 *
 * - at run time by `renderFinding()` (the simulator's findings, the report), and
 * - at compile time by the type `FindingSentence<Rule, Op, Fields>` (the
 *   property name of the violation type the compiler prints, so a user's own
 *   `tsc` shows the sentence).
 *
 * Both walk the template left to right and replace each `{name}` with the
 * field's value, formatted by the field's declared type: `number` and `text`
 * as written, `kind` through KIND_PHRASES, `phrase` through the field's own
 * phrase table. test/model/findings.test.ts asserts the two give identical
 * text for every rule.
 *
 * The sentence is `RULE op: filled template`, and ` (pfn 0x…)` after it when
 * the finding is about a known page frame (run time; compile-time findings
 * have `pfn: null`). pfns are hex, as dump_page() prints them.
 *
 * How to fill a finding (for the simulator): `{ rule: "MD002", op:
 * "__free_pages", pfn, fields: { allocOrder: 2, freeOrder: 0 } }` — `op` is
 * the kernel function the user's code called; the field names and their
 * meaning are documented per rule below and in docs/rules.md.
 */
import type { RuleId } from "./rule-ids.js";

/** How a field's value is written in the sentence. */
export type FieldSpec =
  | { readonly type: "number"; readonly doc: string }
  | { readonly type: "text"; readonly doc: string }
  /** A memory kind (`plain`, `folio`, `ptdesc`, `slab`, `zpdesc`, or a memdesc kind): written as KIND_PHRASES says. */
  | { readonly type: "kind"; readonly doc: string }
  /** One of a closed set of values, each written as its phrase. */
  | { readonly type: "phrase"; readonly doc: string; readonly phrases: Readonly<Record<string, string>> };

export interface FindingSpec {
  /** The finding's fields by name. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** The sentence after `RULE op: `, with `{field}` placeholders. */
  readonly sentence: string;
}

/** What memory of each kind is called in a sentence. A kind not listed is written `<kind> memory`. */
export const KIND_PHRASES = {
  plain: "plain pages (alloc_pages)",
  misc: "plain pages (a Misc memdesc, allocated without a descriptor)",
  folio: "a folio",
  anon_folio: "an anonymous folio",
  ptdesc: "a page table (pagetable_alloc)",
  slab: "a slab",
  zpdesc: "zsmalloc memory (zpdesc)",
} as const;
export type KindPhrases = typeof KIND_PHRASES;

const LIFECYCLE = {
  allocated: "not yet constructed",
  constructed: "constructed",
  destructed: "destructed (pagetable_dtor() ran)",
} as const;

/** Every rule's fields and sentence. One line of doc per field: what the simulator must fill in. */
export const FINDINGS = {
  MD001: {
    fields: {
      type: { type: "number", doc: "the memdesc type number (bits 0–3)" },
      table: { type: "text", doc: "the name of the memdesc type table it was checked against" },
    },
    sentence: "memdesc type {type} is not assigned in table '{table}'",
  },
  MD002: {
    fields: {
      allocOrder: { type: "number", doc: "the order the block was allocated at" },
      freeOrder: { type: "number", doc: "the order the caller frees (or splits) it at" },
    },
    sentence: "block allocated at order {allocOrder}, freed at order {freeOrder}",
  },
  MD003: {
    fields: { pageType: { type: "text", doc: "the page type the page already has" } },
    sentence: "the page already has page type '{pageType}'; a page has one type at a time",
  },
  MD004: {
    fields: {
      pageType: { type: "text", doc: "the page type the page has" },
      cleared: { type: "text", doc: "the page type the caller clears" },
    },
    sentence: "the page has page type '{pageType}', not '{cleared}'",
  },
  MD005: {
    fields: {
      field: { type: "text", doc: "the owner field's name" },
      bits: { type: "text", doc: "the field's bit range, `lo–hi`" },
      other: {
        type: "text",
        doc: "what it collides with: `field 'name' (bits lo–hi)`, or `the bits above the low N` (the page type's)",
      },
      at: { type: "text", doc: "the colliding bits, `lo–hi`" },
    },
    sentence: "page_type owner field '{field}' (bits {bits}) overlaps {other} at bits {at}",
  },
  MD006: {
    fields: {
      expected: { type: "kind", doc: "the kind the conversion needs" },
      actual: { type: "kind", doc: "the kind the memory is" },
    },
    sentence: "this memory is {actual}, not {expected}",
  },
  MD007: {
    fields: {
      struct: { type: "text", doc: "the struct (`page`, `folio`, `ptdesc`, `slab`, `zpdesc`)" },
      member: { type: "text", doc: "the member the code names" },
      stage: { type: "text", doc: "the stage checked against" },
    },
    sentence: "struct {struct} has no member '{member}' at stage {stage}",
  },
  MD008: {
    fields: { order: { type: "number", doc: "the order of the non-compound block" } },
    sentence:
      "the block was allocated at order {order} without __GFP_COMP; a non-compound block cannot become a folio or a ptdesc",
  },
  MD009: {
    fields: { order: { type: "number", doc: "the order of the non-compound block" } },
    sentence:
      "frees compound_order() = 0 pages of an order-{order} block allocated without __GFP_COMP; the other pages leak",
  },
  MD010: {
    fields: {
      block: {
        type: "phrase",
        doc: "what is wrong with the block",
        phrases: {
          compound: "compound (__GFP_COMP or a folio)",
          tail: "a tail page of a compound block",
          unreferenced: "not referenced (page_count() is 0)",
        },
      },
    },
    sentence: "the block is {block}; split_page() only splits a non-compound block it holds",
  },
  MD011: {
    fields: {
      state: { type: "phrase", doc: "the page table's lifecycle state", phrases: LIFECYCLE },
      needed: { type: "phrase", doc: "the state the call needs", phrases: LIFECYCLE },
    },
    sentence: "this page table is {state}; the call needs one that is {needed}",
  },
  MD012: {
    fields: {},
    sentence: "this page table is still constructed; use pagetable_dtor_free(), or pagetable_dtor() first",
  },
  MD013: {
    fields: {
      path: {
        type: "phrase",
        doc: "how the kernel page table reached the allocator",
        phrases: {
          bypass:
            "through a path that skips the PT_kernel check, so it can be reused before the IOMMU is invalidated; free it with pagetable_free()/pagetable_dtor_free()",
          unmarked:
            "without PT_kernel (ptdesc_set_kernel() never ran): pagetable_free() frees it at once, before the IOMMU is invalidated",
        },
      },
    },
    sentence: "a kernel page table is freed {path}",
  },
  MD014: { fields: {}, sentence: "double free — the block was already freed" },
  MD015: { fields: {}, sentence: "use after free — the page was already freed" },
  MD016: {
    fields: { reason: { type: "text", doc: "bad_page()'s reason, in the kernel's words" } },
    sentence: "bad page state: {reason}",
  },
  MD017: {
    fields: {},
    sentence: "a freed kernel page table is handed out again before the IOMMU was invalidated",
  },
  MD018: {
    fields: { order: { type: "number", doc: "the order of the allocation never freed" } },
    sentence: "an order-{order} allocation was never freed",
  },
} as const satisfies Record<RuleId, FindingSpec>;
export type Findings = typeof FINDINGS;

/** The value a field of type F holds. */
type FieldValue<F> = F extends { readonly type: "number" }
  ? number
  : F extends { readonly type: "phrase"; readonly phrases: infer P }
    ? keyof P & string
    : string;

/** The fields of a finding of rule R, by name. */
export type FindingFields<R extends RuleId> = {
  readonly [N in keyof Findings[R]["fields"]]: FieldValue<Findings[R]["fields"][N]>;
};

/** A broken rule as data. `pfn` is null for a compile-time finding or module-level code. */
export type Finding<R extends RuleId = RuleId> = R extends RuleId
  ? {
      readonly rule: R;
      /** The kernel function the user's code called (`free_page`, not the `__free_pages` it calls). */
      readonly op: string;
      readonly pfn: number | null;
      readonly fields: FindingFields<R>;
    }
  : never;

function formatField(spec: FieldSpec, value: unknown): string {
  if (spec.type === "kind")
    return (KIND_PHRASES as Record<string, string>)[String(value)] ?? `${value} memory`;
  if (spec.type === "phrase") return spec.phrases[String(value)] ?? String(value);
  return String(value);
}

/** The sentence after `RULE op: ` for a finding of rule R. */
export function fillFinding<R extends RuleId>(rule: R, fields: FindingFields<R>): string {
  return fillTemplate(rule, FINDINGS[rule].sentence, fields);
}

/** Fill `template` (rule R's sentence, or a wording of it) with the finding's fields, each formatted by its spec. */
function fillTemplate<R extends RuleId>(rule: R, template: string, fields: FindingFields<R>): string {
  const spec: FindingSpec = FINDINGS[rule];
  return template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const field = spec.fields[name];
    if (!field)
      throw new Error(`${rule}: the sentence names field '${name}', which the rule does not declare`);
    return formatField(field, (fields as Record<string, unknown>)[name]);
  });
}

/**
 * MD002's sentence as the simulator says it: FINDINGS.MD002's template
 * (`block allocated at order 2, freed at order 0`) filled in, then `detail`
 * (what became of the pages). The simulator knows two things the compiler
 * does not and says them in the template's own places: what was allocated
 * (`compound page`, when the order the kernel checks is the one page[1]
 * records) and what the caller did at the wrong order (`split`, for
 * split_page()). With neither, it is exactly `fillFinding("MD002", …)`.
 */
export function orderMismatchSentence(
  allocOrder: number,
  order: number,
  how: {
    readonly allocated?: "block" | "compound page";
    readonly did?: "freed" | "split";
    readonly detail?: string;
  } = {},
): string {
  const { allocated = "block", did = "freed", detail = "" } = how;
  // test/model/findings.test.ts holds the wordings to the template: a reworded template fails it.
  const template = FINDINGS.MD002.sentence
    .replace(/^block(?= allocated at )/, allocated)
    .replace(/, freed(?= at order)/, `, ${did}`);
  return `${fillTemplate("MD002", template, { allocOrder, freeOrder: order })}${detail}`;
}

/** The one renderer: `MD002 __free_pages: block allocated at order 2, freed at order 0 (pfn 0x1200)`. */
export function renderFinding(finding: Finding): string {
  const text = `${finding.rule} ${finding.op}: ${fillFinding(finding.rule, finding.fields as never)}`;
  return finding.pfn === null ? text : `${text} (pfn 0x${finding.pfn.toString(16)})`;
}

// ---------------------------------------------------------------------------
// The same renderer at the type level (compile-time findings have no pfn).

type FormatField<Spec, V> = Spec extends { readonly type: "kind" }
  ? V extends keyof KindPhrases
    ? KindPhrases[V]
    : `${V & string} memory`
  : Spec extends { readonly type: "phrase"; readonly phrases: infer P }
    ? V extends keyof P
      ? P[V] & string
      : `${V & string}`
    : `${V & (string | number)}`;

type Fill<T extends string, Fs, Vs> = T extends `${infer Before}{${infer Name}}${infer After}`
  ? Name extends keyof Fs & keyof Vs
    ? `${Before}${FormatField<Fs[Name], Vs[Name]>}${Fill<After, Fs, Vs>}`
    : `${Before}{${Name}}${Fill<After, Fs, Vs>}`
  : T;

/** The sentence the compiler prints for a compile-time finding: `renderFinding({ rule, op, pfn: null, fields })`, as a type. */
export type FindingSentence<
  R extends RuleId,
  Op extends string,
  F,
> = `${R} ${Op}: ${Fill<Findings[R]["sentence"], Findings[R]["fields"], F>}`;
