/**
 * struct page's scalar words as the machine keeps them: flags.f (raw bits;
 * the PF_* compound policies are the kernel layer's), private and mapping.
 * Every write checks that the page is one a kernel function may touch.
 */
import type { Ctx } from "./context.js";

/** The machine keeps flag bits 0..31 (the model's PG_* bits are 0..23). */
export function checkFlagBit(bit: number): void {
  if (!(bit >>> 0 === bit && bit < 32)) throw new RangeError(`flag bit ${bit} is not in 0..31`);
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

/** set_page_private(page, value); the machine keeps 32 bits. */
export function setPrivateOp(ctx: Ctx, op: string, pfn: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw new RangeError(`private ${value} does not fit the machine's 32-bit private`);
  if (!ctx.checkLive(op, pfn)) return;
  ctx.zone.memmap.priv[pfn] = value;
}

/** page->mapping = value */
export function setMappingOp(ctx: Ctx, op: string, pfn: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw new RangeError(`mapping ${value} does not fit in 32 bits`);
  if (!ctx.checkLive(op, pfn)) return;
  ctx.zone.memmap.mapping[pfn] = value;
}
