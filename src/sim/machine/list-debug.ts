/**
 * CONFIG_DEBUG_LIST for the callers' list operations (lib/list_debug.c:
 * __list_add_valid_or_report, __list_del_entry_valid_or_report): the
 * machine's own free and pcp lists share words 1/2 with the callers' lists,
 * so a caller's list_add()/list_del() through a corrupted or foreign link
 * would corrupt the allocator. These checks stop it first, with the kernel's
 * messages, as an Error (the rules catalogue has no rule for list
 * corruption). A caller may only link its own allocated pages and the list
 * heads it created.
 */
import { LIST_HEAD_BASE, LIST_POISON1, LIST_POISON2, S_ALLOC, S_ORPHAN, S_WHERE } from "./constants.js";
import { linkNext, linkPrev } from "./lists.js";
import type { MemMap } from "./memmap.js";
import { linkWord } from "./struct-page.js";

/** The machine's own list heads (free areas, pcp lists) come first; callers' heads after them. */
export const SYSTEM_LIST_HEADS = 16;

export class ListCorruptionError extends Error {
  override readonly name = "ListCorruptionError";
}

const px = (ref: number) => linkWord(ref, Math.max(ref, 0)).toString(16).padStart(16, "0");

/** A node a caller may touch: its own allocated page, or a list head it created. */
export function callerNode(memmap: MemMap, ref: number): boolean {
  if (ref >= 0) return ref < memmap.n && (memmap.state[ref]! & (S_WHERE | S_ORPHAN)) === S_ALLOC;
  const h = LIST_HEAD_BASE - ref;
  return h >= SYSTEM_LIST_HEADS && h < memmap.nHeads;
}

/** __list_add_valid_or_report(new, prev, next) */
export function checkListAdd(memmap: MemMap, entry: number, prev: number, next: number): void {
  if (!callerNode(memmap, entry) || !callerNode(memmap, prev) || !callerNode(memmap, next)) {
    throw new ListCorruptionError(
      `list_add corruption: ${[entry, prev, next].find((r) => !callerNode(memmap, r))} is not a page the caller owns nor a list head it created`,
    );
  }
  if (linkPrev(memmap, next) !== prev) {
    throw new ListCorruptionError(
      `list_add corruption. next->prev should be prev (${px(prev)}), but was ${px(linkPrev(memmap, next))}. (next=${px(next)}).`,
    );
  }
  if (linkNext(memmap, prev) !== next) {
    throw new ListCorruptionError(
      `list_add corruption. prev->next should be next (${px(next)}), but was ${px(linkNext(memmap, prev))}. (prev=${px(prev)}).`,
    );
  }
  if (entry === prev || entry === next) {
    throw new ListCorruptionError(
      `list_add double add: new=${px(entry)}, prev=${px(prev)}, next=${px(next)}.`,
    );
  }
}

/** __list_del_entry_valid_or_report(entry) */
export function checkListDel(memmap: MemMap, entry: number): void {
  const next = linkNext(memmap, entry);
  const prev = linkPrev(memmap, entry);
  if (next === LIST_POISON1) {
    throw new ListCorruptionError(
      `list_del corruption, ${px(entry)}->next is LIST_POISON1 (dead000000000100)`,
    );
  }
  if (prev === LIST_POISON2) {
    throw new ListCorruptionError(
      `list_del corruption, ${px(entry)}->prev is LIST_POISON2 (dead000000000122)`,
    );
  }
  if (!callerNode(memmap, entry) || !callerNode(memmap, next) || !callerNode(memmap, prev)) {
    throw new ListCorruptionError(
      `list_del corruption: ${px(entry)} links to ${px(prev)} / ${px(next)}, which are not on a list the caller owns`,
    );
  }
  if (linkNext(memmap, prev) !== entry) {
    throw new ListCorruptionError(
      `list_del corruption. prev->next should be ${px(entry)}, but was ${px(linkNext(memmap, prev))}. (prev=${px(prev)})`,
    );
  }
  if (linkPrev(memmap, next) !== entry) {
    throw new ListCorruptionError(
      `list_del corruption. next->prev should be ${px(entry)}, but was ${px(linkPrev(memmap, next))}. (next=${px(next)})`,
    );
  }
}
