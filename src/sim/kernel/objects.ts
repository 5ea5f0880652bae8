/**
 * Run-time handles. A handle is a small object naming a page frame and the C
 * struct it is viewed as; its fields read and write the simulated memory map
 * (the machine's typed-array columns), never a copy. Fields the machine has
 * no column for (pt_mm, __folio_index, …) live in a per-machine side store,
 * written only when kernel code writes them.
 *
 * The compile-time types (src/model/handles.ts) decide which fields exist at
 * which stage; at run time every field of every stage is reachable, because
 * the simulated memory always holds today's struct page plus the memdesc word.
 *
 * SAFETY (for every cast from a run-time handle to a branded type in this
 * folder): the brand is phantom — no run-time property backs it — and the
 * API functions are the only places that create handles, each with the facts
 * its kernel counterpart guarantees.
 */
import type { HandleStruct } from "../../model/handles.js";
import { LAYOUT_STRUCTS, LAYOUTS } from "../../model/layouts/index.js";
import { pageFlagBit } from "../../model/page-flags.js";
import { STAGES } from "../../model/stage.js";
import {
  HPAGE_PMD_ORDER,
  MAX_PAGE_ORDER as MACHINE_MAX_PAGE_ORDER,
  PAGE_OFFSET as MACHINE_PAGE_OFFSET,
  VMEMMAP_START as MACHINE_VMEMMAP_START,
} from "../machine/constants.js";
import { type MachinePort, machine } from "./port.js";

// Registered symbols: handles made by one copy of this module are recognised by another.
export const PFN: unique symbol = Symbol.for("memdesc.pfn") as never;
export const STRUCT: unique symbol = Symbol.for("memdesc.struct") as never;

/**
 * The machine's x86-64 direct-map and vmemmap bases (src/sim/machine/constants.ts) as numbers:
 * page-aligned addresses near 2^64 are exact doubles (decision 0002).
 */
export const PAGE_OFFSET = Number(MACHINE_PAGE_OFFSET);
export const VMEMMAP_START = Number(MACHINE_VMEMMAP_START);
/** arch/x86/include/asm/page_types.h: PAGE_SHIFT 12 (4 KiB pages). */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
/** arch/x86/include/asm/pgtable_64_types.h: PMD_SHIFT 21 — a PMD maps 2 MiB, order 9 (the machine's HPAGE_PMD_ORDER). */
export const PMD_ORDER = HPAGE_PMD_ORDER;
export const PMD_SHIFT = PAGE_SHIFT + PMD_ORDER;
export const PMD_SIZE = 2 ** PMD_SHIFT;
/**
 * include/linux/mmzone.h: `#define MAX_PAGE_ORDER CONFIG_ARCH_FORCE_MAX_ORDER` (10 without it) —
 * the largest order the buddy allocator hands out; a larger request fails (the machine's
 * alloc_order_allowed(), src/sim/machine/alloc.ts).
 */
export const MAX_PAGE_ORDER = MACHINE_MAX_PAGE_ORDER;

/** A page frame viewed as one C struct. */
export class KObject {
  readonly [PFN]: number;
  readonly [STRUCT]: HandleStruct;
  constructor(struct: HandleStruct, pfn: number) {
    this[PFN] = pfn;
    this[STRUCT] = struct;
  }
}

/** A `struct list_head` embedded in a page (word 1/2 of struct page): the link columns of the machine. */
/** Marks list heads: "head" (LIST_HEAD) or "embedded" (a page's word 1/2). */
export const LIST_KIND: unique symbol = Symbol.for("memdesc.list-kind") as never;

export class EmbeddedListHead {
  declare readonly __list_head: true;
  readonly [LIST_KIND] = "embedded" as const;
  constructor(
    readonly pfn: number,
    readonly struct: HandleStruct,
    readonly member: string,
  ) {}
}

const sideStores = new WeakMap<MachinePort, Map<string, unknown>>();
function side(m: MachinePort): Map<string, unknown> {
  let s = sideStores.get(m);
  if (!s) {
    s = new Map();
    sideStores.set(m, s);
  }
  return s;
}

type Accessor = { get(this: KObject): unknown; set?(this: KObject, v: unknown): void };

const flagsAccessor: Accessor = {
  get() {
    const pfn = this[PFN];
    const m = machine();
    return {
      get f() {
        return m.flags(pfn);
      },
      set f(v: number) {
        const old = m.flags(pfn);
        for (let b = 0; b < 32; b++) {
          const bit = 1 << b;
          if ((v & bit) !== (old & bit)) (v & bit ? m.setFlag : m.clearFlag).call(m, "page->flags", pfn, b);
        }
      },
    };
  },
};
const listAccessor = (member: string): Accessor => ({
  get() {
    return new EmbeddedListHead(this[PFN], this[STRUCT], member);
  },
});
/** A 64-bit machine field: a bigint goes in as it is (a kernel pointer is exact only as a bigint), a number as a number. */
const ulongOf = (v: unknown): number | bigint => (typeof v === "bigint" ? v : Number(v));
/**
 * What a machine pointer column holds when the user's code stores an object standing for a C
 * struct the model has no handle for (`folio->mapping = mapping`, an address_space of the user's
 * code): a non-NULL, 8-byte-aligned address, so the free-time checks see a non-NULL pointer, with
 * the object itself kept in the side store for reads.
 */
const OBJECT_POINTER = 0xffff_dead_0000_0000n; // exact as a double; outside the direct map
const pointerAccessor = (
  member: string,
  read: (m: MachinePort, pfn: number) => number | bigint,
  write: (m: MachinePort, pfn: number, v: number | bigint) => void,
): Accessor => ({
  get() {
    const m = machine();
    const v = read(m, this[PFN]);
    if (v === 0 || v === 0n) return null;
    return Number(v) === Number(OBJECT_POINTER) ? (side(m).get(`${this[PFN]}:${member}`) ?? v) : v;
  },
  set(v) {
    const m = machine();
    const key = `${this[PFN]}:${member}`;
    if (typeof v === "object" && v !== null) {
      side(m).set(key, v);
      write(m, this[PFN], OBJECT_POINTER);
      return;
    }
    side(m).delete(key);
    write(m, this[PFN], v === null ? 0 : ulongOf(v));
  },
});
const ulongAccessor = (
  read: (m: MachinePort, pfn: number) => number | bigint,
  write: (m: MachinePort, pfn: number, v: number | bigint) => void,
): Accessor => ({
  get() {
    return read(machine(), this[PFN]);
  },
  set(v) {
    write(machine(), this[PFN], ulongOf(v));
  },
});
const numberAccessor = (
  read: (m: MachinePort, pfn: number) => number,
  write?: (m: MachinePort, pfn: number, v: number) => void,
): Accessor => {
  const a: Accessor = {
    get() {
      return read(machine(), this[PFN]);
    },
  };
  if (write)
    a.set = function (v) {
      write(machine(), this[PFN], Number(v));
    };
  return a;
};
const sideAccessor = (member: string): Accessor => ({
  get() {
    return side(machine()).get(`${this[PFN]}:${member}`) ?? 0;
  },
  set(v) {
    side(machine()).set(`${this[PFN]}:${member}`, v);
  },
});

/** Fields backed by machine columns; every other field of a layout goes to the side store. */
const BACKED: Readonly<Record<string, Accessor>> = {
  flags: flagsAccessor,
  pt_flags: flagsAccessor,
  mapping: pointerAccessor(
    "mapping",
    (m, p) => m.mapping(p),
    (m, p, v) => m.setMapping("page->mapping", p, v),
  ),
  private: ulongAccessor(
    (m, p) => m.private(p),
    (m, p, v) => m.setPrivate("page->private", p, v),
  ),
  page_type: numberAccessor((m, p) => m.pageTypeWord(p)),
  __page_type: numberAccessor((m, p) => m.pageTypeWord(p)),
  first_obj_offset: numberAccessor((m, p) => m.pageTypeWord(p) & 0xff_ffff),
  _mapcount: numberAccessor((m, p) => m.pageTypeWord(p) | 0),
  _refcount: numberAccessor((m, p) => m.pageRefCount(p)),
  __page_refcount: numberAccessor((m, p) => m.pageRefCount(p)),
  compound_info: numberAccessor((m, p) => (m.isTail(p) ? VMEMMAP_START + m.compoundHead(p) * 64 + 1 : 0)),
  memdesc: {
    get() {
      return machine().memdescWord(this[PFN]);
    },
  },
  pfn: numberAccessor((_m, p) => p),
  order: numberAccessor((m, p) => m.compoundOrder(p)),
  _flags_1: numberAccessor((m, p) => m.flags(p + 1)),
};
// The members that overlay word 1/2 of struct page (offset 8): one pair of link columns in the machine.
const LIST_MEMBERS = new Set(["lru", "buddy_list", "pcp_list", "pt_list", "slab_list"]);

/** `&folio->page`, `&folio->__page_1` …: the struct page at that index of the folio. */
const embeddedPageAccessor = (member: string): Accessor => {
  const index = member === "page" ? 0 : Number(/\d+$/.exec(member)?.[0] ?? 0);
  return {
    get() {
      return kobject("page", this[PFN] + index);
    },
  };
};

interface MemberSpec {
  readonly name: string;
  readonly ts: string;
}

/** Install accessors for `members` on the prototype of a struct's handle class. */
function defineMembers(proto: object, members: readonly MemberSpec[]): void {
  for (const { name, ts } of members) {
    if (Object.hasOwn(proto, name)) continue;
    const acc =
      BACKED[name] ??
      (LIST_MEMBERS.has(name)
        ? listAccessor(name)
        : ts === "page"
          ? embeddedPageAccessor(name)
          : sideAccessor(name));
    Object.defineProperty(proto, name, {
      get: acc.get,
      ...(acc.set ? { set: acc.set } : {}),
      enumerable: true,
    });
  }
}

const classes = new Map<HandleStruct, new (pfn: number) => KObject>();

/** Register the members a struct has at any stage (from the layout tables). */
function registerStruct(struct: HandleStruct, members: readonly MemberSpec[]): void {
  let cls = classes.get(struct);
  if (!cls) {
    cls = class extends KObject {
      constructor(pfn: number) {
        super(struct, pfn);
      }
    };
    Object.defineProperty(cls, "name", { value: `struct_${struct}` });
    classes.set(struct, cls);
  }
  defineMembers(cls.prototype, members);
}

// Every member of every stage's layout is reachable at run time; the stage decides at compile time.
for (const struct of LAYOUT_STRUCTS) {
  const seen = new Map<string, MemberSpec>();
  for (const stage of STAGES)
    for (const f of LAYOUTS[stage][struct].fields) if (!seen.has(f.name)) seen.set(f.name, f);
  registerStruct(struct, [...seen.values()]);
}

/** A run-time handle for `struct K *` at `pfn`. */
export function kobject(struct: HandleStruct, pfn: number): KObject {
  const cls = classes.get(struct);
  if (!cls) throw new Error(`struct ${struct} has no registered layout`);
  return new cls(pfn);
}

export function pfnOf(h: unknown): number {
  const pfn = typeof h === "object" && h !== null ? (h as { [PFN]?: unknown })[PFN] : undefined;
  if (typeof pfn === "number") return pfn;
  throw new TypeError("not a memdesc handle (struct page/folio/ptdesc/slab/zpdesc pointer)");
}

/** Page-aligned direct-map address of a PFN (page_address / lowmem_page_address). */
export function pfnToVirt(pfn: number): number {
  return PAGE_OFFSET + pfn * PAGE_SIZE;
}

/** PFN of a direct-map address (virt_to_pfn); -1 when the address is outside the simulated direct map. */
export function virtToPfn(addr: number, nrPages: number): number {
  if (typeof addr !== "number" || !Number.isFinite(addr)) return -1;
  const off = addr - PAGE_OFFSET;
  if (off < 0) return -1;
  const pfn = Math.floor(off / PAGE_SIZE);
  return pfn < nrPages ? pfn : -1;
}

export const PG_head = pageFlagBit("PG_head");
