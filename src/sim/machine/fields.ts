/**
 * struct page's scalar words as the machine keeps them: flags.f (raw bits;
 * the PF_* compound policies are the kernel layer's), private and mapping.
 * Every write checks that the page is one a kernel function may touch.
 */
import type { Ctx } from "./context.js";
import { type MemMap, readULong, writeULong } from "./memmap.js";

/** The machine keeps flag bits 0..31 (the model's PG_* bits are 0..23). */
export function checkFlagBit(bit: number): void {
  if (!(bit >>> 0 === bit && bit < 32)) throw new RangeError(`flag bit ${bit} is not in 0..31`);
}

/** page->flags.f: the raw bits; the PF_* compound policies are the caller's. */
export function pageFlags(memmap: MemMap, pfn: number): number {
  return memmap.flags[pfn]!;
}

/** test_bit(bit, &page->flags.f) */
export function testPageFlag(memmap: MemMap, pfn: number, bit: number): boolean {
  checkFlagBit(bit);
  return ((memmap.flags[pfn]! >>> bit) & 1) === 1;
}

/** page_private(page): a number when a double holds it exactly, else a bigint (memmap.ts readULong). */
export function pagePrivate(memmap: MemMap, pfn: number): number | bigint {
  return readULong(memmap.privateHalves, pfn);
}

/**
 * page->mapping: MAPPING_NULL, TAIL_MAPPING, an owner value from
 * mappingOf(), one of the values prep_compound_head() leaves on the first
 * two tails (>= MAPPING_RESERVED_MIN), or any pointer kernel code stored;
 * read as page_private() is.
 */
export function pageMapping(memmap: MemMap, pfn: number): number | bigint {
  return readULong(memmap.mappingHalves, pfn);
}

/** set_bit(bit, &page->flags.f) */
export function setFlagOp(ctx: Ctx, op: string, pfn: number, bit: number): void {
  checkFlagBit(bit);
  if (!ctx.checkLive(op, pfn)) return;
  const flags = ctx.zone.memmap.flags;
  flags[pfn] = (flags[pfn]! | (1 << bit)) >>> 0;
}

/** clear_bit(bit, &page->flags.f) */
export function clearFlagOp(ctx: Ctx, op: string, pfn: number, bit: number): void {
  checkFlagBit(bit);
  if (!ctx.checkLive(op, pfn)) return;
  const flags = ctx.zone.memmap.flags;
  flags[pfn] = (flags[pfn]! & ~(1 << bit)) >>> 0;
}

/** set_page_private(page, value): any unsigned long, a number or a bigint (memmap.ts writeULong). */
export function setPrivateOp(ctx: Ctx, op: string, pfn: number, value: number | bigint): void {
  checkULong(value, "private");
  if (!ctx.checkLive(op, pfn)) return;
  writeULong(ctx.zone.memmap.privateHalves, pfn, value, "private");
}

/** page->mapping = value: any pointer, a kernel address (0xffff888012345678) included. */
export function setMappingOp(ctx: Ctx, op: string, pfn: number, value: number | bigint): void {
  checkULong(value, "mapping");
  if (!ctx.checkLive(op, pfn)) return;
  writeULong(ctx.zone.memmap.mappingHalves, pfn, value, "mapping");
}

/** Reject a value no 64-bit field can hold before the page is touched (as the 32-bit check did). */
function checkULong(value: number | bigint, what: string): void {
  const scratch = new Uint32Array(2);
  writeULong(scratch, 0, value, what);
}
