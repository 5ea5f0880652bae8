/**
 * A full consistency audit of the machine (O(pages)), for tests and for
 * callers who want to know the simulator itself is sound: the free lists,
 * the pcp lists, the allocations, the counters, and that every page's
 * memdesc word agrees with its today view. Returns the problems found, in
 * words; an empty list means the machine is consistent.
 */
import {
  NR_PAGE_ORDERS,
  PCP_ORDERS,
  PT_BUDDY,
  PT_UNTYPED,
  S_ALLOC,
  S_BUDDY,
  S_HEAD,
  S_LEAKED,
  S_ORPHAN,
  S_PCP,
  S_WHERE,
} from "./constants.js";
import type { Ctx } from "./context.js";
import { listNodes } from "./lists.js";
import { ulongIs } from "./memmap.js";

/** A full consistency audit of the machine's own state: one line per inconsistency, [] when sound. O(pages). */
export function audit(ctx: Ctx): string[] {
  const zone = ctx.zone;
  const memmap = zone.memmap;
  const encoder = zone.encoder;
  // Kernel data a caller may legitimately corrupt (compound_info in word 1,
  // the order byte in page[1]'s flags) is not audited: the free-time checks
  // report it, as the kernel does. The audit covers the machine's own
  // bookkeeping: blocks, lists, states, counters, memdesc words.
  const problems: string[] = [];
  const say = (s: string) => {
    if (problems.length < 50) problems.push(s);
  };
  const hex = (p: number) => `0x${p.toString(16)}`;
  /** Which block or allocation covers each page: the block's first pfn, or -1. */
  const owner = new Int32Array(memmap.n).fill(-1);
  const cover = (head: number, order: number, what: string) => {
    for (let p = head; p < head + (1 << order); p++) {
      if (p >= memmap.n) {
        say(`${what} at ${hex(head)} order ${order} runs past the end of memory`);
        return;
      }
      if (owner[p] !== -1) say(`pfn ${hex(p)} is in two blocks: ${hex(owner[p]!)} and ${what} ${hex(head)}`);
      owner[p] = head;
    }
  };
  // Buddy free lists.
  let buddyPages = 0;
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    const nodes = listNodes(memmap, zone.freeHead[o]!, memmap.n + 1);
    if (nodes.length !== zone.nrFree[o])
      say(`free_area[${o}] lists ${nodes.length} blocks, nr_free says ${zone.nrFree[o]}`);
    for (const p of nodes) {
      if (p < 0 || p >= memmap.n) {
        say(`free_area[${o}] holds ${p}, not a page`);
        continue;
      }
      if ((p & ((1 << o) - 1)) !== 0) say(`free block ${hex(p)} of order ${o} is not naturally aligned`);
      if (memmap.pageType[p] !== PT_BUDDY || !ulongIs(memmap.privateHalves, p, o))
        say(`free block ${hex(p)} on free_area[${o}] is not PageBuddy with order ${o}`);
      if ((memmap.state[p]! & (S_WHERE | S_HEAD)) !== (S_BUDDY | S_HEAD))
        say(`free block ${hex(p)} has state ${memmap.state[p]}`);
      if (memmap.md[2 * p] !== encoder.buddyLo(o) || memmap.md[2 * p + 1] !== 0)
        say(`free block ${hex(p)} has memdesc word not Buddy order ${o}`);
      cover(p, o, "free block");
      buddyPages += 1 << o;
    }
  }
  if (buddyPages !== zone.nrFreeBuddyPages)
    say(`buddy lists hold ${buddyPages} pages, NR_FREE_PAGES says ${zone.nrFreeBuddyPages}`);
  // pcp lists.
  let pcpPages = 0;
  PCP_ORDERS.forEach((o, i) => {
    for (const p of listNodes(memmap, zone.pcpHead[i]!, memmap.n + 1)) {
      if ((memmap.state[p]! & (S_WHERE | S_HEAD)) !== (S_PCP | S_HEAD) || memmap.order[p] !== o)
        say(`pcp block ${hex(p)} of order ${o} has state ${memmap.state[p]} order ${memmap.order[p]}`);
      if (memmap.pageType[p] !== PT_UNTYPED)
        say(`pcp block ${hex(p)} has a page type (pcp pages are not PageBuddy)`);
      if (memmap.md[2 * p] !== encoder.buddyLo(o))
        say(`pcp block ${hex(p)} has memdesc word not Buddy order ${o}`);
      cover(p, o, "pcp block");
      pcpPages += 1 << o;
    }
  });
  if (pcpPages !== zone.pcpCount) say(`pcp lists hold ${pcpPages} pages, pcp->count says ${zone.pcpCount}`);
  // Allocations and leaked blocks.
  let allocPages = 0;
  let leakedPages = 0;
  for (let p = 0; p < memmap.n; p++) {
    const st = memmap.state[p]!;
    const where = st & S_WHERE;
    if (where === S_ALLOC) allocPages++;
    if (where === S_LEAKED) leakedPages++;
    if (where === S_ALLOC && (st & (S_HEAD | S_ORPHAN)) === S_HEAD) {
      const order = memmap.order[p]!;
      cover(p, order, "allocation");
      const lo = memmap.md[2 * p]!;
      const hi = memmap.md[2 * p + 1]!;
      if (encoder.pointerType[lo & 0xf] === 1) {
        if (!zone.pools.locate(lo, hi)) say(`allocation ${hex(p)} points at no pool descriptor`);
      } else if ((lo & 0xf) === encoder.miscType) {
        if (encoder.miscOrderOf(lo) !== order)
          say(`allocation ${hex(p)} of order ${order} has a Misc word of order ${encoder.miscOrderOf(lo)}`);
      } else {
        say(`allocation ${hex(p)} has memdesc type ${lo & 0xf}, neither Misc nor a descriptor`);
      }
      for (let q = p + 1; q < p + (1 << order) && q < memmap.n; q++) {
        const sq = memmap.state[q]!;
        if ((sq & S_WHERE) !== S_ALLOC || (sq & (S_HEAD | S_ORPHAN)) !== 0)
          say(`pfn ${hex(q)} inside allocation ${hex(p)} has state ${sq}`);
        if (memmap.md[2 * q] !== lo || memmap.md[2 * q + 1] !== hi)
          say(`pfn ${hex(q)} inside allocation ${hex(p)} has another memdesc word`);
      }
    } else if (where === S_LEAKED && (st & S_HEAD) !== 0) {
      cover(p, memmap.order[p]!, "leaked block");
    }
  }
  // Every page is accounted for once: free, allocated, orphaned or leaked.
  for (let p = 0; p < memmap.n; p++) {
    const st = memmap.state[p]!;
    const where = st & S_WHERE;
    const free = where === S_BUDDY || where === S_PCP;
    if (free || (where === S_ALLOC && (st & S_ORPHAN) === 0) || where === S_LEAKED) {
      if (owner[p] === -1) say(`pfn ${hex(p)} (state ${st}) is in no block`);
    } else if (owner[p] !== -1) {
      say(`orphaned pfn ${hex(p)} is inside block ${hex(owner[p]!)}`);
    }
    const buddyWord = (memmap.md[2 * p]! & 0xf) === encoder.buddyType;
    // A page bad_page() leaked keeps the word it had, as the kernel leaves "bad fields for debug".
    if (free !== buddyWord && where !== S_LEAKED)
      say(
        `pfn ${hex(p)} is ${free ? "free" : "not free"} but its memdesc word is ${buddyWord ? "" : "not "}Buddy`,
      );
    if (
      free &&
      (st & S_HEAD) === 0 &&
      (memmap.md[2 * p] !== encoder.buddyLo(0) || memmap.pageType[p] !== PT_UNTYPED)
    )
      say(`free pfn ${hex(p)} inside a block has a block-head word or a page type`);
  }
  if (allocPages !== zone.nrAllocPages)
    say(`${allocPages} pages are allocated, the counter says ${zone.nrAllocPages}`);
  if (leakedPages !== zone.nrLeakedPages)
    say(`${leakedPages} pages are leaked, the counter says ${zone.nrLeakedPages}`);
  if (buddyPages + pcpPages + allocPages + leakedPages !== memmap.n)
    say(
      `free ${buddyPages + pcpPages} + allocated ${allocPages} + leaked ${leakedPages} != ${memmap.n} pages`,
    );
  return problems;
}
