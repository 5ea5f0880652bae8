/**
 * page_type owner fields (MD005). The owner of a typed page may use the low
 * 24 bits of page_type ("The low 24 bits of pagetype may be used for your own
 * purposes", include/linux/page-flags.h); owners of typed folios only the low
 * 16 ("Owners of typed folios may reuse the lower 16 bit of the head page
 * page_type field", include/linux/mm_types.h). zsmalloc keeps
 * first_obj_offset there (mm/zpdesc.h).
 *
 * define_page_type_owner_fields() declares the fields; the type system
 * computes each field's bits and rejects a field beyond the allowed bits or
 * overlapping another one, naming the colliding bits.
 */
import { renderFinding } from "../../model/findings.js";
import type { Meta, Page, StructHandle } from "../../model/handles.js";
import type { FolioPageTypeName } from "../../model/page-type.js";
import { type PageTypeName, pageTypeInfo } from "../../model/page-type.js";
import type { Add, Below, BitRange, MaxBit, MinBit } from "../../model/type-arith.js";
import type { Violation } from "./checks.js";
import { pfnOf } from "./objects.js";
import { machine } from "./port.js";

/** The bit numbers [shift, shift + width). */
export type { BitRange } from "../../model/type-arith.js";

type Span<U> = `${MinBit<U> & number}–${MaxBit<U> & number}`;

/** A field: [shift, width] in bits. */
export type OwnerFieldSpec = readonly [shift: number, width: number];
type RangeOf<S> = S extends readonly [infer Sh extends number, infer W extends number]
  ? BitRange<Sh, W>
  : never;

/**
 * The number of owner bits for page type T, asked of the table's folioType
 * column: 16 for typed folios (mm_types.h), 24 otherwise (page-flags.h).
 */
export type OwnerBits<T extends PageTypeName> = T extends FolioPageTypeName ? 16 : 24;

type FieldErrors<F extends Record<string, OwnerFieldSpec>, Limit extends number> = {
  [K in keyof F & string]: number extends F[K][0] | F[K][1]
    ? never
    : [Exclude<RangeOf<F[K]>, Below<Limit>>] extends [never]
      ? {
          // The field that starts lower is named first (as the run-time check names them).
          [J in Exclude<keyof F & string, K>]: [RangeOf<F[K]> & RangeOf<F[J]>] extends [never]
            ? never
            : F[K][0] extends Below<Add<F[J][0], 1>>
              ? Violation<
                  "MD005",
                  "define_page_type_owner_fields",
                  {
                    field: K;
                    bits: Span<RangeOf<F[K]>>;
                    other: `field '${J}' (bits ${Span<RangeOf<F[J]>>})`;
                    at: Span<RangeOf<F[K]> & RangeOf<F[J]>>;
                  }
                >
              : never;
        }[Exclude<keyof F & string, K>]
      : Violation<
          "MD005",
          "define_page_type_owner_fields",
          {
            field: K;
            bits: Span<RangeOf<F[K]>>;
            other: `the bits above the low ${Limit}`;
            at: Span<Exclude<RangeOf<F[K]>, Below<Limit>>>;
          }
        >;
}[keyof F & string];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;
/** One member of a union (one MD005 per call: the compiler then names its sentence). */
type OneOf<U> = UnionToIntersection<U extends unknown ? () => U : never> extends () => infer L ? L : never;

/** `unknown` when the fields fit, else one of the problems as a violation (one MD005 per call). */
export type OwnerFieldsCheck<F extends Record<string, OwnerFieldSpec>, Limit extends number> = [
  FieldErrors<F, Limit>,
] extends [never]
  ? unknown
  : OneOf<FieldErrors<F, Limit>>;

export interface PageTypeOwnerFields<T extends PageTypeName, F extends Record<string, OwnerFieldSpec>> {
  readonly type: T;
  readonly fields: F;
  /** Read field `name` from the low bits of a page's page_type. */
  get(page: Page<Meta> | StructHandle<"zpdesc", Meta>, name: keyof F & string): number;
  /** Write field `name`; the page must have type T. */
  set(page: Page<Meta> | StructHandle<"zpdesc", Meta>, name: keyof F & string, value: number): void;
}

/** The MD005 sentence, from the rule's template (src/model/findings.ts). */
function md005(field: string, bits: string, other: string, at: string): string {
  return renderFinding({
    rule: "MD005",
    op: "define_page_type_owner_fields",
    pfn: null,
    fields: { field, bits, other, at },
  });
}

/**
 * Declare the owner fields of page type `type` in the low bits of page_type:
 * `define_page_type_owner_fields("zsmalloc", { first_obj_offset: [0, 24] })`.
 *
 * @c none: memdesc's own registration of an owner's page_type bits (the kernel writes these as struct overlays)
 */
export function define_page_type_owner_fields<
  const T extends PageTypeName,
  const F extends Record<string, OwnerFieldSpec>,
>(type: T, fields: F & OwnerFieldsCheck<F, OwnerBits<T>>): PageTypeOwnerFields<T, F> {
  const limit = pageTypeInfo(type).folioType ? 16 : 24;
  const entries = Object.entries(fields as F);
  for (const [name, [shift, width]] of entries) {
    if (!Number.isInteger(shift) || !Number.isInteger(width) || shift < 0 || width < 1) {
      throw new RangeError(`MD005 page_type owner field '${name}': [${shift}, ${width}] is not a bit range`);
    }
    if (shift + width > limit) {
      throw new RangeError(
        md005(
          name,
          `${shift}–${shift + width - 1}`,
          `the bits above the low ${limit}`,
          `${Math.max(shift, limit)}–${shift + width - 1}`,
        ),
      );
    }
  }
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      // The field that starts lower is named first (as the compile-time check names them).
      const [first, second] =
        entries[i]![1][0] <= entries[j]![1][0] ? [entries[i]!, entries[j]!] : [entries[j]!, entries[i]!];
      const [a, [as, aw]] = first;
      const [b, [bs, bw]] = second;
      const lo = Math.max(as, bs);
      const hi = Math.min(as + aw, bs + bw) - 1;
      if (lo <= hi) {
        throw new RangeError(
          md005(a, `${as}–${as + aw - 1}`, `field '${b}' (bits ${bs}–${bs + bw - 1})`, `${lo}–${hi}`),
        );
      }
    }
  }
  const pgty = pageTypeInfo(type).pgty;
  const spec = (name: string): OwnerFieldSpec => {
    const s = (fields as F)[name];
    if (!s) throw new RangeError(`no owner field '${name}' for page type ${type}`);
    return s;
  };
  return {
    type,
    fields: fields as F,
    get(page, name) {
      const [shift, width] = spec(name);
      return (machine().pageTypeWord(pfnOf(page)) >>> shift) & (2 ** width - 1);
    },
    set(page, name, value) {
      const [shift, width] = spec(name);
      const m = machine();
      const pfn = pfnOf(page);
      const word = m.pageTypeWord(pfn);
      if (word >>> 24 !== pgty)
        throw new Error(`owner field '${name}': pfn 0x${pfn.toString(16)} does not have page type ${type}`);
      if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
        throw new RangeError(`owner field '${name}': ${value} does not fit in ${width} bits`);
      }
      const mask = (2 ** width - 1) * 2 ** shift;
      m.setPageTypeOwnerBits(`page_type.${name}`, pfn, ((word & ~mask) | (value * 2 ** shift)) & 0xff_ffff);
    },
  };
}
