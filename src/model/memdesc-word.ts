/**
 * The memdesc word: what `struct page` becomes at the end of the shrink, one
 * `unsigned long memdesc` per base page (https://kernelnewbies.org/MatthewWilcox/Memdescs).
 * Bits 0–3 name a type; the other 60 bits hold a pointer to a separately
 * allocated descriptor (16-byte aligned, so its low 4 bits are free for the
 * type) or, for some types, the data itself.
 *
 * The published type tables disagree, so each is kept as a named table and
 * one is the default (docs/decisions/0001-default-memdesc-table.md). Words are
 * `bigint`: all 64 bits are significant (docs/decisions/0002-64-bit-words.md).
 */
import { inputError } from "./errors.js";
import { bits64, hex64, U64_MAX } from "./word.js";

/** What the 60 bits above the type hold. */
export type MemdescPayload =
  /** A pointer to a separately allocated, 16-byte-aligned descriptor. */
  | "pointer"
  /** Misc memory: subtype, user-mappable bit and order inline (see MISC_FIELDS). */
  | "misc"
  /** A free page of the buddy allocator: the data is embedded, nothing is allocated. */
  | "buddy"
  /** Nothing defined by the source. */
  | "none";

/** The memdesc kinds the model knows; a descriptor kind or an inline kind. */
export type MemdescKindName =
  | "misc"
  | "buddy"
  | "folio"
  | "anon_folio"
  | "ksm"
  | "slab"
  | "movable"
  | "zpdesc"
  | "ptdesc"
  | "netpool"
  | "hwpoison"
  | "pcpudesc"
  | "vmalloc";

export interface MemdescTypeEntry {
  /** The 4-bit type number. */
  readonly type: number;
  /** The name the source gives the type. */
  readonly name: string;
  /** The model's kind for it. */
  readonly kind: MemdescKindName;
  readonly payload: MemdescPayload;
  /** The C struct pointed to, as the source names it (null when inline). */
  readonly struct: string | null;
  readonly note: string;
}

export interface MemdescTable {
  readonly name: string;
  readonly title: string;
  readonly source: string;
  readonly entries: readonly MemdescTypeEntry[];
}

const e = <const Type extends number, const Name extends string, const Kind extends MemdescKindName>(
  type: Type,
  name: Name,
  kind: Kind,
  payload: MemdescPayload,
  struct: string | null,
  note = "",
) => ({ type, name, kind, payload, struct, note }) as const;

/**
 * Snapshot B: https://kernelnewbies.org/MatthewWilcox/Memdescs?action=Save (wiki
 * source). The default: the only table that defines the Misc encoding, and
 * the one that agrees with Wilcox's 2024 choice to embed buddy data.
 */
export const WIKI_SOURCE = {
  name: "wiki-source",
  title: "Memdescs wiki source (?action=Save): Misc = 0, Buddy = 1",
  source:
    "https://kernelnewbies.org/MatthewWilcox/Memdescs?action=Save (the wiki source of the page; the stored copy records no revision number)",
  entries: [
    e(0, "Misc", "misc", "misc", null, "memory that needs no extra data; subtype/mappable/order inline"),
    e(
      1,
      "Buddy",
      "buddy",
      "buddy",
      "struct buddy",
      "embedded, not allocated (Wilcox, linux-mm, Jan 2024, https://www.spinics.net/lists/linux-mm/msg369183.html)",
    ),
    e(2, "File", "folio", "pointer", "struct folio"),
    e(3, "Anon", "anon_folio", "pointer", "struct anon_folio"),
    e(4, "KSM", "ksm", "pointer", "struct ksm", "TBD in the source"),
    e(5, "Slab", "slab", "pointer", "struct slab"),
    e(
      6,
      "Movable",
      "zpdesc",
      "pointer",
      "struct movable",
      "TBD in the source; memdesc models zsmalloc's zpdesc here",
    ),
    e(7, "PageTable", "ptdesc", "pointer", "struct ptdesc"),
    e(8, "NetPool", "netpool", "pointer", "struct netpool", "TBD in the source"),
    e(9, "HWPoison", "hwpoison", "pointer", "struct hwpoison", "TBD in the source"),
    e(10, "PerCPU", "pcpudesc", "pointer", "struct pcpudesc", "TBD in the source"),
  ],
} as const satisfies MemdescTable;

/** Snapshot A: https://kernelnewbies.org/MatthewWilcox/Memdescs (plain page view). */
export const WIKI_PAGE = {
  name: "wiki-page",
  title: "Memdescs wiki page view: None = 0, File = 1, PageTable = 9",
  source:
    "https://kernelnewbies.org/MatthewWilcox/Memdescs (the page view; the stored copy records no revision number)",
  entries: [
    e(0, "None", "misc", "none", null, "None, Reserved, Guard, …"),
    e(1, "File", "folio", "pointer", "struct folio"),
    e(2, "Anon", "anon_folio", "pointer", "struct anon_folio"),
    e(3, "KSM", "ksm", "pointer", "struct ksm"),
    e(4, "Slab", "slab", "pointer", "struct slab"),
    e(5, "Free", "buddy", "pointer", "struct buddy", "a pointer in this revision"),
    e(6, "Movable", "zpdesc", "pointer", "struct movable"),
    e(
      7,
      "VmallocMappable",
      "vmalloc",
      "pointer",
      null,
      "the page view's table says 'VmallocMappable (struct pointer)' without naming the struct",
    ),
    e(9, "PageTable", "ptdesc", "pointer", "struct ptdesc"),
    e(10, "NetPool", "netpool", "pointer", "struct netpool"),
    e(11, "HWPoison", "hwpoison", "pointer", "struct hwpoison"),
  ],
} as const satisfies MemdescTable;

/**
 * The interim layout of MatthewWilcox/Memdescs/Path: buddy_list overlaps the
 * memdesc word, so 0, 4, 8 and 12 all read as buddy. Only types 0–4, 8 and 12
 * were readable in the stored copy; the rest stay unassigned here.
 */
export const PATH_INTERIM = {
  name: "path-interim",
  title: "Memdescs/Path interim layout: 0/4/8/12 = Buddy, 1 = Misc",
  source: "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=print (the interim table)",
  entries: [
    e(0, "Buddy", "buddy", "buddy", null, "buddy_list overlaps the memdesc word"),
    e(1, "Misc", "misc", "misc", null),
    e(2, "File", "folio", "pointer", "struct folio"),
    e(3, "Anon", "anon_folio", "pointer", "struct folio"),
    e(4, "Buddy", "buddy", "buddy", null, "alias: list pointers are 16-byte aligned"),
    e(8, "Buddy", "buddy", "buddy", null, "alias"),
    e(12, "Buddy", "buddy", "buddy", null, "alias"),
  ],
} as const satisfies MemdescTable;

export const MEMDESC_TABLES = [WIKI_SOURCE, WIKI_PAGE, PATH_INTERIM] as const;
export type MemdescTableName = (typeof MEMDESC_TABLES)[number]["name"];
/** The default table (docs/decisions/0001-default-memdesc-table.md). */
export const DEFAULT_MEMDESC_TABLE = WIKI_SOURCE;
export type DefaultMemdescTable = typeof DEFAULT_MEMDESC_TABLE;
/** The type numbers the default table assigns; any other is MD001. */
export type MemdescTypeNumber<Table extends MemdescTable = DefaultMemdescTable> =
  Table["entries"][number]["type"];

export function memdescTable(name: string): MemdescTable {
  const t = MEMDESC_TABLES.find((x) => x.name === name);
  if (!t)
    inputError(`unknown memdesc table '${name}' (known: ${MEMDESC_TABLES.map((x) => x.name).join(", ")})`);
  return t;
}

/** The entry for `kind` in `table`, or undefined if the table has no type for it. */
export function memdescTypeForKind(table: MemdescTable, kind: MemdescKindName): MemdescTypeEntry | undefined {
  return table.entries.find((x) => x.kind === kind);
}

/**
 * Misc subtypes (bits 4–10), wiki source: 0 PageReserved, 1 zero page,
 * 2 unknown (probably a driver), 3 vmalloc, 4 guard, 5 offline, 6 kmalloc_large,
 * 7 Exact, 8 brd; 9–127 unassigned.
 */
export const MISC_SUBTYPES = [
  "reserved",
  "zero",
  "unknown",
  "vmalloc",
  "guard",
  "offline",
  "kmalloc_large",
  "exact",
  "brd",
] as const;
export type MiscSubtype = (typeof MISC_SUBTYPES)[number];

/** Bit fields of a Misc word (wiki source). Bits 18–63 hold section/node/zone "as in today's page flags". */
export const MISC_FIELDS = {
  subtype: { shift: 4, width: 7 },
  userMappable: { shift: 11, width: 1 },
  order: { shift: 12, width: 6 },
  nodeZoneSection: { shift: 18, width: 46 },
} as const;

/**
 * The lowest kernel address on x86-64 (the kernel half with 5-level paging
 * starts at 0xff00000000000000; with 4-level paging at 0xffff800000000000).
 * A pointer payload below it points at no descriptor the kernel could have
 * allocated.
 */
export const KERNEL_ADDRESS_MIN = 0xff00_0000_0000_0000n;

/** Pointer payloads are 16-byte aligned: the descriptor address is the word with the type bits cleared. */
export const MEMDESC_TYPE_BITS = 4;
export const MEMDESC_TYPE_MASK = 0xfn;
export const DESCRIPTOR_ALIGN = 16;

/** A decoded memdesc word. */
export type MemdescWord =
  | { readonly payload: "pointer"; readonly entry: MemdescTypeEntry; readonly address: bigint }
  | {
      readonly payload: "misc";
      readonly entry: MemdescTypeEntry;
      readonly subtype: number;
      readonly subtypeName: MiscSubtype | null;
      readonly userMappable: boolean;
      readonly order: number;
      readonly nodeZoneSection: bigint;
    }
  | {
      readonly payload: "buddy";
      readonly entry: MemdescTypeEntry;
      readonly order: number;
      readonly rest: bigint;
    }
  | { readonly payload: "none"; readonly entry: MemdescTypeEntry; readonly rest: bigint };

/**
 * Buddy words: the sources embed `struct buddy` but give no 8-byte encoding.
 * The model keeps the order in bits 4–9 (as Wilcox's 16-byte "option 1" keeps
 * it in the low bits of `prev`) and leaves the rest zero; see
 * docs/decisions/0001-default-memdesc-table.md.
 */
export const BUDDY_FIELDS = { order: { shift: 4, width: 6 } } as const;

/**
 * Decode a 64-bit memdesc word under `table`. A type number the table leaves
 * unassigned, or a pointer payload whose address is not 16-byte aligned
 * (impossible by construction, since the type occupies the low 4 bits, but a
 * zero address is not a descriptor), is an error, never a guess.
 */
export function decodeMemdesc(word: bigint, table: MemdescTable = DEFAULT_MEMDESC_TABLE): MemdescWord {
  if (word < 0n || word > U64_MAX) inputError(`memdesc word ${word} does not fit in 64 bits`);
  const type = Number(word & MEMDESC_TYPE_MASK);
  const entry = table.entries.find((x) => x.type === type);
  if (!entry) {
    inputError(
      `MD001 memdesc type ${type} in ${hex64(word)} is not assigned in table '${table.name}' (assigned: ${table.entries
        .map((x) => `${x.type}=${x.name}`)
        .join(", ")})`,
    );
  }
  const rest = word >> 4n;
  switch (entry.payload) {
    case "pointer": {
      const address = word & ~MEMDESC_TYPE_MASK;
      if (address < KERNEL_ADDRESS_MIN) {
        inputError(
          `memdesc ${hex64(word)}: type ${type} (${entry.name}) carries a pointer to ${entry.struct ?? "a descriptor"}, but ${hex64(address)} is not a kernel address (>= ${hex64(KERNEL_ADDRESS_MIN)})`,
        );
      }
      return { payload: "pointer", entry, address };
    }
    case "misc": {
      const subtype = Number(bits64(word, MISC_FIELDS.subtype.shift, MISC_FIELDS.subtype.width));
      return {
        payload: "misc",
        entry,
        subtype,
        subtypeName: MISC_SUBTYPES[subtype] ?? null,
        userMappable: bits64(word, MISC_FIELDS.userMappable.shift, 1) === 1n,
        order: Number(bits64(word, MISC_FIELDS.order.shift, MISC_FIELDS.order.width)),
        nodeZoneSection: bits64(word, MISC_FIELDS.nodeZoneSection.shift, MISC_FIELDS.nodeZoneSection.width),
      };
    }
    case "buddy":
      return {
        payload: "buddy",
        entry,
        order: Number(bits64(word, BUDDY_FIELDS.order.shift, BUDDY_FIELDS.order.width)),
        rest: word >> 10n,
      };
    case "none":
      return { payload: "none", entry, rest };
  }
}

/** Arguments to {@link encodeMemdesc}, one shape per payload. */
export type MemdescEncodeInput =
  | { readonly kind: MemdescKindName; readonly address: bigint }
  | {
      readonly kind: "misc";
      readonly subtype: number;
      readonly userMappable?: boolean;
      readonly order: number;
      readonly nodeZoneSection?: bigint;
    }
  | { readonly kind: "buddy"; readonly order: number };

function checkField(name: string, value: bigint, width: number): bigint {
  if (value < 0n || value >= 1n << BigInt(width)) {
    inputError(`${name} ${value} does not fit in ${width} bits`);
  }
  return value;
}

/** Encode a memdesc word; exact for all 64 bits. */
export function encodeMemdesc(
  input: MemdescEncodeInput,
  table: MemdescTable = DEFAULT_MEMDESC_TABLE,
): bigint {
  const entry = memdescTypeForKind(table, input.kind);
  if (!entry) inputError(`table '${table.name}' assigns no memdesc type to ${input.kind}`);
  const type = BigInt(entry.type);
  if ("address" in input) {
    if (entry.payload !== "pointer")
      inputError(`${input.kind} is not a pointer memdesc in table '${table.name}'`);
    if (input.address < KERNEL_ADDRESS_MIN || input.address > U64_MAX) {
      inputError(
        `descriptor address ${hex64(input.address)} is not a kernel address (>= ${hex64(KERNEL_ADDRESS_MIN)})`,
      );
    }
    if (input.address % BigInt(DESCRIPTOR_ALIGN) !== 0n) {
      inputError(`descriptor address ${hex64(input.address)} is not ${DESCRIPTOR_ALIGN}-byte aligned`);
    }
    return input.address | type;
  }
  if (input.kind === "buddy") {
    if (entry.payload !== "buddy") inputError(`buddy pages are not inline in table '${table.name}'`);
    return (checkField("buddy order", BigInt(input.order), BUDDY_FIELDS.order.width) << 4n) | type;
  }
  if (entry.payload !== "misc") inputError(`misc pages are not inline in table '${table.name}'`);
  const m = input;
  return (
    type |
    (checkField("misc subtype", BigInt(m.subtype), MISC_FIELDS.subtype.width) << 4n) |
    ((m.userMappable ? 1n : 0n) << 11n) |
    (checkField("misc order", BigInt(m.order), MISC_FIELDS.order.width) << 12n) |
    (checkField("node/zone/section", m.nodeZoneSection ?? 0n, MISC_FIELDS.nodeZoneSection.width) << 18n)
  );
}
