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

export function linkNext(m: MemMap, ref: number): number {
  return ref >= 0 ? m.next[ref]! : m.headNext[LIST_HEAD_BASE - ref]!;
}

export function linkPrev(m: MemMap, ref: number): number {
  return ref >= 0 ? m.prev[ref]! : m.headPrev[LIST_HEAD_BASE - ref]!;
}

export function setLinkNext(m: MemMap, ref: number, v: number): void {
  if (ref >= 0) m.next[ref] = v;
  else m.headNext[LIST_HEAD_BASE - ref] = v;
}

export function setLinkPrev(m: MemMap, ref: number, v: number): void {
  if (ref >= 0) m.prev[ref] = v;
  else m.headPrev[LIST_HEAD_BASE - ref] = v;
}

/** INIT_LIST_HEAD(entry) */
export function listInit(m: MemMap, ref: number): void {
  setLinkNext(m, ref, ref);
  setLinkPrev(m, ref, ref);
}

/** __list_add(new, prev, next) */
function listInsert(m: MemMap, entry: number, prev: number, next: number): void {
  setLinkPrev(m, next, entry);
  setLinkNext(m, entry, next);
  setLinkPrev(m, entry, prev);
  setLinkNext(m, prev, entry);
}

/** list_add(entry, head): insert after head (stack order). */
export function listAdd(m: MemMap, entry: number, head: number): void {
  listInsert(m, entry, head, linkNext(m, head));
}

/** list_add_tail(entry, head): insert before head (queue order). */
export function listAddTail(m: MemMap, entry: number, head: number): void {
  listInsert(m, entry, linkPrev(m, head), head);
}

/** list_del(entry): unlink and poison, as the kernel does. */
export function listDel(m: MemMap, entry: number): void {
  const next = linkNext(m, entry);
  const prev = linkPrev(m, entry);
  setLinkPrev(m, next, prev);
  setLinkNext(m, prev, next);
  setLinkNext(m, entry, LIST_POISON1);
  setLinkPrev(m, entry, LIST_POISON2);
}

/** list_empty(head) */
export function listEmpty(m: MemMap, head: number): boolean {
  return linkNext(m, head) === head;
}

/** list_first_entry_or_null as a node: -1 is never a node, so it means "empty". */
export function listFirst(m: MemMap, head: number): number {
  const first = linkNext(m, head);
  return first === head ? -1 : first;
}

/** list_last_entry_or_null as a node. */
export function listLast(m: MemMap, head: number): number {
  const last = linkPrev(m, head);
  return last === head ? -1 : last;
}

/** The nodes of a list, first to last (for tests and reports; not a hot path). */
export function listNodes(m: MemMap, head: number, limit = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  for (let p = linkNext(m, head); p !== head && out.length < limit; p = linkNext(m, p)) out.push(p);
  return out;
}
