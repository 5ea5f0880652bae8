/**
 * include/linux/list.h over the memory map's link columns. A list node is a
 * number: a pfn (the page's list_head at word 1/2, whichever of lru,
 * buddy_list, pcp_list, pt_list or slab_list the owner calls it) or a list
 * head that is not a page (LIST_HEAD_BASE - h). The page allocator's free
 * lists and pcp lists use these same functions on the same columns, so a
 * page can be on one list at a time, exactly as with struct page.
 */
import { LIST_HEAD_BASE, LIST_POISON1, LIST_POISON2 } from "./constants.js";
import type { MemMap } from "./memmap.js";

/** Word 1 of a page (lru.next, or compound_info on a tail page), or a list head's next. */
export function linkNext(memmap: MemMap, ref: number): number {
  return ref >= 0 ? memmap.next[ref]! : memmap.headNext[LIST_HEAD_BASE - ref]!;
}

/** Word 2 of a page (lru.prev), or a list head's prev. */
export function linkPrev(memmap: MemMap, ref: number): number {
  return ref >= 0 ? memmap.prev[ref]! : memmap.headPrev[LIST_HEAD_BASE - ref]!;
}

export function setLinkNext(memmap: MemMap, ref: number, v: number): void {
  if (ref >= 0) memmap.next[ref] = v;
  else memmap.headNext[LIST_HEAD_BASE - ref] = v;
}

export function setLinkPrev(memmap: MemMap, ref: number, v: number): void {
  if (ref >= 0) memmap.prev[ref] = v;
  else memmap.headPrev[LIST_HEAD_BASE - ref] = v;
}

/** INIT_LIST_HEAD(entry) */
export function listInit(memmap: MemMap, ref: number): void {
  setLinkNext(memmap, ref, ref);
  setLinkPrev(memmap, ref, ref);
}

/** __list_add(new, prev, next) */
function listInsert(memmap: MemMap, entry: number, prev: number, next: number): void {
  setLinkPrev(memmap, next, entry);
  setLinkNext(memmap, entry, next);
  setLinkPrev(memmap, entry, prev);
  setLinkNext(memmap, prev, entry);
}

/** list_add(entry, head): insert after head (stack order). */
export function listAdd(memmap: MemMap, entry: number, head: number): void {
  listInsert(memmap, entry, head, linkNext(memmap, head));
}

/** list_add_tail(entry, head): insert before head (queue order). */
export function listAddTail(memmap: MemMap, entry: number, head: number): void {
  listInsert(memmap, entry, linkPrev(memmap, head), head);
}

/** list_del(entry): unlink and poison, as the kernel does. */
export function listDel(memmap: MemMap, entry: number): void {
  const next = linkNext(memmap, entry);
  const prev = linkPrev(memmap, entry);
  setLinkPrev(memmap, next, prev);
  setLinkNext(memmap, prev, next);
  setLinkNext(memmap, entry, LIST_POISON1);
  setLinkPrev(memmap, entry, LIST_POISON2);
}

/** list_empty(head) */
export function listEmpty(memmap: MemMap, head: number): boolean {
  return linkNext(memmap, head) === head;
}

/** list_first_entry_or_null as a node: -1 is never a node, so it means "empty". */
export function listFirst(memmap: MemMap, head: number): number {
  const first = linkNext(memmap, head);
  return first === head ? -1 : first;
}

/** list_last_entry_or_null as a node. */
export function listLast(memmap: MemMap, head: number): number {
  const last = linkPrev(memmap, head);
  return last === head ? -1 : last;
}

/** The nodes of a list, first to last (for tests and reports; not a hot path). */
export function listNodes(memmap: MemMap, head: number, limit = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  for (let p = linkNext(memmap, head); p !== head && out.length < limit; p = linkNext(memmap, p)) out.push(p);
  return out;
}
