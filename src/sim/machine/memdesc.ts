/**
 * Keeping each page's final-stage memdesc word current as pages change hands,
 * with the model's encoding (src/model/memdesc-word.ts), on two u32 halves so
 * the hot paths never build a BigInt.
 *
 * What a page's word says, by the machine's rules (docs/decisions/0201):
 * - free in the buddy or on a pcp list: Buddy. The first page of a free block
 *   carries the block's order (BUDDY_FIELDS.order, bits 4–9); the other pages
 *   carry order 0, as today only the head of a free block is PageBuddy with
 *   its order in ->private. Merging and splitting touch block heads only.
 * - allocated with no descriptor: Misc, subtype "unknown" (2) unless the
 *   owner chose another, with the allocation order in bits 12–17, on every
 *   page of the allocation.
 * - allocated and given a descriptor kind: the descriptor's address | type,
 *   on every page of the allocation.
 */
import {
  DESCRIPTOR_ALIGN,
  MEMDESC_KIND_NAMES,
  MEMDESC_KINDS,
  type MemdescKindName,
  type MemdescPayload,
  type MemdescTable,
  MISC_FIELDS,
  MISC_SUBTYPES,
  type MiscSubtype,
  memdescTypeForKind,
} from "../../model/index.js";
import { MISC_ORDER_MASK } from "./constants.js";

/** Misc subtype 2: "unknown (probably a driver)" — what a plain alloc_pages() block is. */
export const MISC_SUBTYPE_UNKNOWN = MISC_SUBTYPES.indexOf("unknown");

/**
 * How the machine makes a kind's word, by the payload the table gives the
 * kind: a descriptor pointer, inline Misc data, or data only the page
 * allocator writes (Buddy). "undefined": the table defines no payload.
 */
export type KindWord = "pointer" | "inline" | "allocator" | "undefined";
const WORD_OF_PAYLOAD: Readonly<Record<MemdescPayload, KindWord>> = {
  pointer: "pointer",
  misc: "inline",
  buddy: "allocator",
  none: "undefined",
};

export class MemdescEncoder {
  readonly table: MemdescTable;
  readonly miscType: number;
  readonly buddyType: number;
  /** Type number per kind index (MEMDESC_KIND_NAMES order), -1 when the table has none. */
  readonly typeOfKind: Int8Array;
  /** Kind index per type number, -1 when unassigned. */
  readonly kindOfType: Int8Array;
  /** Whether a type number carries a descriptor pointer. */
  readonly pointerType: Uint8Array;

  constructor(table: MemdescTable) {
    this.table = table;
    const misc = memdescTypeForKind(table, "misc");
    const buddy = memdescTypeForKind(table, "buddy");
    if (!misc || WORD_OF_PAYLOAD[misc.payload] !== "inline") {
      throw new Error(
        `memdesc table '${table.name}' has no inline Misc type; the machine needs one for plain alloc_pages() blocks`,
      );
    }
    if (!buddy || WORD_OF_PAYLOAD[buddy.payload] !== "allocator") {
      throw new Error(
        `memdesc table '${table.name}' does not embed buddy data in the word (it has ${buddy ? `a ${buddy.payload} payload` : "no Buddy type"}); the machine models the embedded buddy word only (Wilcox, linux-mm, Jan 2024, https://www.spinics.net/lists/linux-mm/msg369183.html: a separate struct buddy was tried and dropped)`,
      );
    }
    this.miscType = misc.type;
    this.buddyType = buddy.type;
    this.typeOfKind = new Int8Array(MEMDESC_KIND_NAMES.length).fill(-1);
    this.kindOfType = new Int8Array(16).fill(-1);
    this.pointerType = new Uint8Array(16);
    for (const entry of table.entries) {
      const k = MEMDESC_KIND_NAMES.indexOf(entry.kind);
      // Several types may alias one kind (path-interim: 0/4/8/12 = Buddy); keep the first.
      if (this.typeOfKind[k] === -1) this.typeOfKind[k] = entry.type;
      this.kindOfType[entry.type] = k;
      if (entry.payload === "pointer") {
        this.pointerType[entry.type] = 1;
        const bytes = MEMDESC_KINDS[entry.kind].descriptorBytes;
        if (bytes <= 0 || bytes % DESCRIPTOR_ALIGN !== 0) {
          throw new Error(`descriptor size of ${entry.kind} (${bytes}) is not a positive multiple of 16`);
        }
      }
    }
  }

  /** How the machine makes a kind's word (the table's payload column), or null when the table has no type for it. */
  wordOfKind(kind: MemdescKindName): KindWord | null {
    const entry = memdescTypeForKind(this.table, kind);
    return entry ? WORD_OF_PAYLOAD[entry.payload] : null;
  }

  /** Low half of a Buddy word: type | order << 4. */
  buddyLo(order: number): number {
    return this.buddyType | (order << 4);
  }

  /** Low half of a Misc word: type | subtype << 4 | order << 12 (user-mappable bit and node/zone/section 0). */
  miscLo(subtype: number, order: number): number {
    return (
      (this.miscType | (subtype << MISC_FIELDS.subtype.shift) | (order << MISC_FIELDS.order.shift)) >>> 0
    );
  }

  /** The order field of a Misc word's low half (MISC_FIELDS.order). */
  miscOrderOf(lo: number): number {
    return (lo & MISC_ORDER_MASK) >>> MISC_FIELDS.order.shift;
  }

  /** The type number of a descriptor kind, or throw when the table assigns none. */
  pointerTypeOf(kind: MemdescKindName): number {
    const t = this.typeOfKind[MEMDESC_KIND_NAMES.indexOf(kind)]!;
    if (t < 0 || this.pointerType[t] !== 1) {
      throw new Error(
        `memdesc table '${this.table.name}' assigns no descriptor type to ${kind} (types: ${this.table.entries
          .map((x) => `${x.type}=${x.name}`)
          .join(", ")})`,
      );
    }
    return t;
  }

  kindNameOfWord(lo: number): MemdescKindName | null {
    const k = this.kindOfType[lo & 0xf]!;
    return k < 0 ? null : MEMDESC_KIND_NAMES[k]!;
  }
}

/** Misc subtype number from a name (MISC_SUBTYPES, wiki source). */
export function miscSubtypeNumber(name: MiscSubtype | number): number {
  const n = typeof name === "number" ? name : MISC_SUBTYPES.indexOf(name);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** MISC_FIELDS.subtype.width) {
    throw new RangeError(`misc subtype ${name} is not in 0..127`);
  }
  return n;
}
