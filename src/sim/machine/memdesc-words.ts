/**
 * What an allocation is, as its pages' final-stage memdesc words say
 * (docs/decisions/0201): an owner gives the allocation a descriptor kind
 * (every page points at one descriptor from the kind's pool) or a Misc
 * subtype (inline, no descriptor); the page allocator alone writes Buddy
 * words. The encoding is the model's (src/model/memdesc-word.ts) through
 * the machine's MemdescEncoder (memdesc.ts), and the table's payload column
 * decides how a kind's word is made, never the kind's name.
 */
import { MEMDESC_KIND_NAMES, type MemdescKindName, type MiscSubtype } from "../../model/index.js";
import { S_HEAD } from "./constants.js";
import type { Ctx } from "./context.js";
import { MISC_SUBTYPE_UNKNOWN, miscSubtypeNumber } from "./memdesc.js";

/** MD006 unless `head` is the first page of a live allocation: a memdesc describes a whole allocation. */
function checkAllocationHead(ctx: Ctx, op: string, head: number): boolean {
  if (!ctx.checkLive(op, head)) return false;
  if ((ctx.zone.memmap.state[head]! & S_HEAD) !== 0) return true;
  const first = ctx.allocationHead(head);
  ctx.bug(
    "MD006",
    op,
    head,
    "not the first page of the allocation",
    `pfn 0x${head.toString(16)} is inside the allocation at 0x${first.toString(16)}; a memdesc describes a whole allocation`,
    "include/linux/mm_types.h",
    { expected: `pfn 0x${first.toString(16)}`, got: `pfn 0x${head.toString(16)}` },
  );
  return false;
}

/**
 * Say what the allocation starting at `head` now is: a kind whose words
 * point at a descriptor ("folio", "ptdesc", "slab", "zpdesc" …) gets one from
 * its pool and every page of the allocation points at it; a kind the table
 * encodes inline ("misc") goes back to a plain block (Misc "unknown"). A
 * previous descriptor goes back to its pool.
 */
export function setMemdescKindOp(ctx: Ctx, op: string, head: number, kind: MemdescKindName): void {
  const zone = ctx.zone;
  const word = zone.encoder.wordOfKind(kind);
  if (word === "allocator")
    throw new Error(`${kind} words belong to the page allocator; free the block instead`);
  if (!checkAllocationHead(ctx, op, head)) return;
  const order = zone.memmap.order[head]!;
  ctx.releaseDescriptor(head);
  if (word === "inline") {
    ctx.fillWord(head, 1 << order, zone.encoder.miscLo(MISC_SUBTYPE_UNKNOWN, order), 0);
    return;
  }
  const type = zone.encoder.pointerTypeOf(kind);
  const kindIndex = MEMDESC_KIND_NAMES.indexOf(kind);
  const slot = zone.pools.alloc(kindIndex);
  ctx.fillWord(
    head,
    1 << order,
    (zone.pools.addrLo(kindIndex, slot) | type) >>> 0,
    zone.pools.addrHi(kindIndex),
  );
}

/** Make the allocation at `head` a Misc block of another subtype (vmalloc, kmalloc_large, reserved …). */
export function setMiscSubtypeOp(ctx: Ctx, op: string, head: number, subtype: MiscSubtype | number): void {
  const subtypeNumber = miscSubtypeNumber(subtype);
  if (!checkAllocationHead(ctx, op, head)) return;
  const order = ctx.zone.memmap.order[head]!;
  ctx.releaseDescriptor(head);
  ctx.fillWord(head, 1 << order, ctx.zone.encoder.miscLo(subtypeNumber, order), 0);
}

/** The memdesc kind a page's word names (null for a type the table leaves unassigned). */
export function memdescKindOf(ctx: Ctx, pfn: number): MemdescKindName | null {
  return ctx.zone.encoder.kindNameOfWord(ctx.zone.memmap.md[2 * pfn]!);
}

/** The page's 8-byte memdesc word. */
export function memdescWordOf(ctx: Ctx, pfn: number): bigint {
  const md = ctx.zone.memmap.md;
  return (BigInt(md[2 * pfn + 1]!) << 32n) | BigInt(md[2 * pfn]!);
}

/** The descriptor address the page's word points at, or null for inline words. */
export function descriptorAddressOf(ctx: Ctx, pfn: number): bigint | null {
  const lo = ctx.zone.memmap.md[2 * pfn]!;
  return ctx.zone.encoder.pointerType[lo & 0xf] === 1 ? memdescWordOf(ctx, pfn) & ~0xfn : null;
}
