/**
 * The list operations kernel code calls on words 1 and 2 (lru, pt_list,
 * slab_list … every owner's list_head overlays them), with the checks the
 * kernel has: CONFIG_DEBUG_LIST's __list_add_valid()/__list_del_entry_valid()
 * (list-debug.ts), and that the page is one the caller may touch. On a tail
 * page word 1 is compound_info, which list_add() overwrites, as in the kernel.
 */
import type { Ctx } from "./context.js";
import { callerNode, checkListAdd, checkListDel, ListCorruptionError } from "./list-debug.js";
import * as lists from "./lists.js";
import { checkPfn, type MemMap } from "./memmap.js";

/** A new list head that is not a page (INIT_LIST_HEAD); list nodes are pfns or such heads. */
export function newListHead(memmap: MemMap): number {
  return memmap.newListHead();
}

/** A caller's list, first to last; a corrupted list stops after as many nodes as the machine has pages, plus one. */
export function listNodesOf(memmap: MemMap, head: number): number[] {
  return lists.listNodes(memmap, head, memmap.n + 1);
}

/** A list node the caller may link: a live page, or a list head that is not a page. A pfn must be a page. */
function liveNode(ctx: Ctx, op: string, ref: number): boolean {
  if (ref < 0) return true;
  checkPfn(ctx.zone.memmap, ref);
  return ctx.checkLive(op, ref);
}

function callerHead(ctx: Ctx, op: string, head: number): void {
  if (!callerNode(ctx.zone.memmap, head))
    throw new ListCorruptionError(`${op}: ${head} is not a list the caller owns`);
}

/** list_add(&page->lru, head) */
export function listAddOp(ctx: Ctx, op: string, entry: number, head: number): void {
  if (!liveNode(ctx, op, entry)) return;
  const memmap = ctx.zone.memmap;
  callerHead(ctx, op, head);
  checkListAdd(memmap, entry, head, lists.linkNext(memmap, head));
  lists.listAdd(memmap, entry, head);
}

/** list_add_tail(&page->lru, head) */
export function listAddTailOp(ctx: Ctx, op: string, entry: number, head: number): void {
  if (!liveNode(ctx, op, entry)) return;
  const memmap = ctx.zone.memmap;
  callerHead(ctx, op, head);
  checkListAdd(memmap, entry, lists.linkPrev(memmap, head), head);
  lists.listAddTail(memmap, entry, head);
}

/** list_del(&page->lru): unlinks and poisons, after the CONFIG_DEBUG_LIST checks. */
export function listDelOp(ctx: Ctx, op: string, entry: number): void {
  if (!liveNode(ctx, op, entry)) return;
  checkListDel(ctx.zone.memmap, entry);
  lists.listDel(ctx.zone.memmap, entry);
}

/** WRITE_ONCE(list->next, value) on word 1 of a page or on a list head. */
export function setLinkNextOp(ctx: Ctx, op: string, ref: number, value: number): void {
  if (liveNode(ctx, op, ref)) lists.setLinkNext(ctx.zone.memmap, ref, value);
}

/** WRITE_ONCE(list->prev, value) on word 2 of a page or on a list head. */
export function setLinkPrevOp(ctx: Ctx, op: string, ref: number, value: number): void {
  if (liveNode(ctx, op, ref)) lists.setLinkPrev(ctx.zone.memmap, ref, value);
}
