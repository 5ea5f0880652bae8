/**
 * A ptdesc's lifecycle (allocated → constructed → destructed, include/linux/mm.h
 * pagetable_*_ctor() / pagetable_dtor()), kept in the two owner bits of the
 * state column. The bits are reset at allocation, so 0 is "none"; the one
 * prepare step of every free path asks them (free.ts givePageTableBack).
 */
import type { PtdescState } from "../kernel/port.js";
import { S_OWNER_MASK, S_OWNER_SHIFT } from "./constants.js";
import type { Ctx } from "./context.js";

/** The owner-bit value of each state, by index. */
export const PTDESC_STATES: readonly PtdescState[] = ["none", "allocated", "constructed", "destructed"];
/** The owner-bit value of a constructed table. */
export const PTDESC_CONSTRUCTED = PTDESC_STATES.indexOf("constructed");

/** A ptdesc's lifecycle state (allocated → constructed → destructed); reset to "none" at allocation. */
export function ptdescStateOf(ctx: Ctx, pfn: number): PtdescState {
  return PTDESC_STATES[(ctx.zone.memmap.state[pfn]! & S_OWNER_MASK) >>> S_OWNER_SHIFT]!;
}

/** Record the ptdesc lifecycle step kernel code took (MD011/MD012 ask it later). */
export function setPtdescStateOp(ctx: Ctx, op: string, pfn: number, state: PtdescState): void {
  const value = PTDESC_STATES.indexOf(state);
  if (value < 0) throw new RangeError(`ptdesc state ${state} is not one of ${PTDESC_STATES.join(", ")}`);
  if (!ctx.checkLive(op, pfn)) return;
  const memmap = ctx.zone.memmap;
  memmap.state[pfn] = (memmap.state[pfn]! & ~S_OWNER_MASK) | (value << S_OWNER_SHIFT);
}
