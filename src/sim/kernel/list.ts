/**
 * Doubly linked lists (include/linux/list.h) over the simulated memory: a
 * list_head embedded in a page (page->lru, ptdesc->pt_list, slab->slab_list
 * — all the same two words of struct page) is the machine's link columns; a
 * list head declared by kernel code (LIST_HEAD) is a small object.
 *
 * The member named in list_for_each_entry_safe() and list_first_entry() is
 * checked against the struct's layout at the selected stage, so iterating
 * pages through `lru` is MD007 at the final stage, like `page.lru` itself.
 */

import type { CurrentStage, HandleStruct, list_head, StructHandle } from "../../model/handles.js";
import type { LayoutFieldNames, LayoutFieldTs } from "../../model/layouts/index.js";
import type { Violation } from "./checks.js";
import { type EmbeddedListHead, kobject, LIST_KIND } from "./objects.js";
import { type MachinePort, machine } from "./port.js";
import { noteRelease } from "./state.js";

/**
 * A list head declared by kernel code: `LIST_HEAD(name)`, or a member of a
 * kernel struct. It may be declared before any machine exists (a static in a
 * scenario file); each machine gives it its own head in the machine's list
 * storage the first time it is used there, starting empty — a fresh boot.
 */
export class ListHead implements list_head {
  declare readonly __list_head: true;
  readonly [LIST_KIND] = "head" as const;
}

const machineHeads = new WeakMap<MachinePort, WeakMap<ListHead, number>>();

type Node = number;
function ref(h: list_head): Node {
  const kind = (h as { [LIST_KIND]?: string })[LIST_KIND];
  if (kind === "embedded") return (h as EmbeddedListHead).pfn;
  if (kind !== "head") throw new TypeError("not a struct list_head");
  const m = machine();
  let heads = machineHeads.get(m);
  if (!heads) {
    heads = new WeakMap();
    machineHeads.set(m, heads);
  }
  let r = heads.get(h as ListHead);
  if (r === undefined) {
    r = m.newListHead();
    m.setLinkNext("INIT_LIST_HEAD", r, r);
    m.setLinkPrev("INIT_LIST_HEAD", r, r);
    heads.set(h as ListHead, r);
  }
  return r;
}
const next = (n: Node): Node => machine().linkNext(n);
const prev = (n: Node): Node => machine().linkPrev(n);
const setNext = (op: string, n: Node, v: Node): void => machine().setLinkNext(op, n, v);
const setPrev = (op: string, n: Node, v: Node): void => machine().setLinkPrev(op, n, v);
function insert(op: string, entry: Node, before: Node, after: Node): void {
  setPrev(op, after, entry);
  setNext(op, entry, after);
  setPrev(op, entry, before);
  setNext(op, before, entry);
}

/**
 * LIST_HEAD(name): an empty list.
 *
 * @c #define LIST_HEAD(name)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function LIST_HEAD(): list_head {
  return new ListHead();
}

/**
 * INIT_LIST_HEAD(list).
 *
 * @c static inline void INIT_LIST_HEAD(struct list_head *list)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function INIT_LIST_HEAD(list: list_head): void {
  initListHead("INIT_LIST_HEAD", ref(list));
}

function initListHead(op: string, n: Node): void {
  setNext(op, n, n);
  setPrev(op, n, n);
}

function noteQueued(entry: list_head): void {
  if ((entry as { [LIST_KIND]?: string })[LIST_KIND] === "embedded")
    noteRelease((entry as EmbeddedListHead).pfn);
}

/**
 * list_add(new, head): insert after head.
 *
 * @c static inline void list_add(struct list_head *new, struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_add(entry: list_head, head: list_head): void {
  noteQueued(entry);
  const h = ref(head);
  insert("list_add", ref(entry), h, next(h));
}

/**
 * list_add_tail(new, head): insert before head.
 *
 * @c static inline void list_add_tail(struct list_head *new, struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_add_tail(entry: list_head, head: list_head): void {
  noteQueued(entry);
  const h = ref(head);
  insert("list_add_tail", ref(entry), prev(h), h);
}

/**
 * list_del(entry): unlink and poison (LIST_POISON1/2, include/linux/poison.h).
 *
 * @c static inline void list_del(struct list_head *entry)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_del(entry: list_head): void {
  machine().listDel("list_del", ref(entry));
}

/**
 * list_del_init(entry).
 *
 * @c static inline void list_del_init(struct list_head *entry)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_del_init(entry: list_head): void {
  const e = ref(entry);
  machine().listDel("list_del_init", e);
  initListHead("list_del_init", e);
}

/**
 * list_empty(head).
 *
 * @c static inline int list_empty(const struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_empty(head: list_head): boolean {
  const h = ref(head);
  return next(h) === h;
}

function splice(op: string, list: Node, before: Node, after: Node): void {
  const first = next(list);
  const last = prev(list);
  setPrev(op, first, before);
  setNext(op, before, first);
  setNext(op, last, after);
  setPrev(op, after, last);
}

/**
 * list_splice_init(list, head): move every entry of `list` to the front of `head`.
 *
 * @c static inline void list_splice_init(struct list_head *list, struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_splice_init(list: list_head, head: list_head): void {
  const l = ref(list);
  if (next(l) === l) return;
  const h = ref(head);
  splice("list_splice_init", l, h, next(h));
  initListHead("list_splice_init", l);
}

/**
 * list_splice_tail_init(list, head): move every entry of `list` to the end of `head`.
 *
 * @c static inline void list_splice_tail_init(struct list_head *list, struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_splice_tail_init(list: list_head, head: list_head): void {
  const l = ref(list);
  if (next(l) === l) return;
  const h = ref(head);
  splice("list_splice_tail_init", l, prev(h), h);
  initListHead("list_splice_tail_init", l);
}

/**
 * list_splice_tail(list, head): as list_splice_tail_init, leaving `list` stale.
 *
 * @c static inline void list_splice_tail(struct list_head *list, struct list_head *head)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_splice_tail(list: list_head, head: list_head): void {
  const l = ref(list);
  if (next(l) === l) return;
  const h = ref(head);
  splice("list_splice_tail", l, prev(h), h);
}

/** A member that is no list_head: an ordinary type error (no memdesc rule), worded like one. */
type NotAListHead<K extends string, M extends string> = {
  readonly [P in `member '${M}' of struct ${K} is not a struct list_head`]: true;
};

/** `unknown` when M is a list_head member of struct K at the current stage, else the violation. */
export type ListMember<K extends HandleStruct, M extends string, Fn extends string> =
  M extends LayoutFieldNames<CurrentStage, K>
    ? LayoutFieldTs<CurrentStage, K, M> extends "list_head"
      ? unknown
      : NotAListHead<K, M>
    : Violation<"MD007", Fn, { struct: K; member: M; stage: CurrentStage }>;

/** The PFNs of the pages on a list, safe against removal of the current one (for the library's own workers). */
export function* listPfns(head: list_head): Generator<number> {
  const h = ref(head);
  for (let n = next(h); n !== h; ) {
    if (n < 0) throw new Error("list walk: a list head inside the list (corrupt list)");
    const after = next(n);
    yield n;
    n = after;
  }
}

function* entries<K extends HandleStruct>(head: list_head, struct: K): Generator<StructHandle<K>> {
  const h = ref(head);
  // The _safe variant: fetch the next entry before yielding, so the body may list_del() the current one.
  for (let n = next(h); n !== h; ) {
    if (n < 0) throw new Error("list_for_each_entry: a list head inside the list (corrupt list)");
    const after = next(n);
    yield kobject(struct, n) as unknown as StructHandle<K>;
    n = after;
  }
}

/**
 * list_for_each_entry_safe(pos, n, head, member) as an iterator:
 * `for (const pt of list_for_each_entry_safe(head, "ptdesc", "pt_list")) { … }`.
 *
 * @c #define list_for_each_entry_safe(pos, n, head, member)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_for_each_entry_safe<K extends HandleStruct, const M extends string>(
  head: list_head,
  struct: K,
  _member: M & ListMember<K, M, "list_for_each_entry_safe">,
): Iterable<StructHandle<K>> {
  return entries(head, struct);
}

/**
 * list_first_entry(head, type, member): the first entry (the list must not be empty).
 *
 * @c #define list_first_entry(ptr, type, member)
 * @kernel torvalds/linux:include/linux/list.h
 */
export function list_first_entry<K extends HandleStruct, const M extends string>(
  head: list_head,
  struct: K,
  _member: M & ListMember<K, M, "list_first_entry">,
): StructHandle<K> {
  const h = ref(head);
  const n = next(h);
  if (n === h) throw new Error("list_first_entry on an empty list");
  return kobject(struct, n) as unknown as StructHandle<K>;
}
