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

export function audit(ctx: Ctx): string[] {
  const z = ctx.z;
  const m = z.m;
  const enc = z.enc;
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
  const owner = new Int32Array(m.n).fill(-1);
  const cover = (head: number, order: number, what: string) => {
    for (let p = head; p < head + (1 << order); p++) {
      if (p >= m.n) {
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
    const nodes = listNodes(m, z.freeHead[o]!, m.n + 1);
    if (nodes.length !== z.nrFree[o])
      say(`free_area[${o}] lists ${nodes.length} blocks, nr_free says ${z.nrFree[o]}`);
    for (const p of nodes) {
      if (p < 0 || p >= m.n) {
        say(`free_area[${o}] holds ${p}, not a page`);
        continue;
      }
      if ((p & ((1 << o) - 1)) !== 0) say(`free block ${hex(p)} of order ${o} is not naturally aligned`);
      if (m.pageType[p] !== PT_BUDDY || m.priv[p] !== o)
        say(`free block ${hex(p)} on free_area[${o}] is not PageBuddy with order ${o}`);
      if ((m.state[p]! & (S_WHERE | S_HEAD)) !== (S_BUDDY | S_HEAD))
        say(`free block ${hex(p)} has state ${m.state[p]}`);
      if (m.md[2 * p] !== enc.buddyLo(o) || m.md[2 * p + 1] !== 0)
        say(`free block ${hex(p)} has memdesc word not Buddy order ${o}`);
      cover(p, o, "free block");
      buddyPages += 1 << o;
    }
  }
  if (buddyPages !== z.nrFreeBuddyPages)
    say(`buddy lists hold ${buddyPages} pages, NR_FREE_PAGES says ${z.nrFreeBuddyPages}`);
  // pcp lists.
  let pcpPages = 0;
  PCP_ORDERS.forEach((o, i) => {
    for (const p of listNodes(m, z.pcpHead[i]!, m.n + 1)) {
      if ((m.state[p]! & (S_WHERE | S_HEAD)) !== (S_PCP | S_HEAD) || m.order[p] !== o)
        say(`pcp block ${hex(p)} of order ${o} has state ${m.state[p]} order ${m.order[p]}`);
      if (m.pageType[p] !== PT_UNTYPED)
        say(`pcp block ${hex(p)} has a page type (pcp pages are not PageBuddy)`);
      if (m.md[2 * p] !== enc.buddyLo(o)) say(`pcp block ${hex(p)} has memdesc word not Buddy order ${o}`);
      cover(p, o, "pcp block");
      pcpPages += 1 << o;
    }
  });
  if (pcpPages !== z.pcpCount) say(`pcp lists hold ${pcpPages} pages, pcp->count says ${z.pcpCount}`);
  // Allocations and leaked blocks.
  let allocPages = 0;
  let leakedPages = 0;
  for (let p = 0; p < m.n; p++) {
    const st = m.state[p]!;
    const where = st & S_WHERE;
    if (where === S_ALLOC) allocPages++;
    if (where === S_LEAKED) leakedPages++;
    if (where === S_ALLOC && (st & (S_HEAD | S_ORPHAN)) === S_HEAD) {
      const o = m.order[p]!;
      cover(p, o, "allocation");
      const lo = m.md[2 * p]!;
      const hi = m.md[2 * p + 1]!;
      if (enc.pointerType[lo & 0xf] === 1) {
        if (!z.pools.locate(lo, hi)) say(`allocation ${hex(p)} points at no pool descriptor`);
      } else if ((lo & 0xf) === enc.miscType) {
        if (((lo >>> 12) & 0x3f) !== o)
          say(`allocation ${hex(p)} of order ${o} has a Misc word of order ${(lo >>> 12) & 0x3f}`);
      } else {
        say(`allocation ${hex(p)} has memdesc type ${lo & 0xf}, neither Misc nor a descriptor`);
      }
      for (let q = p + 1; q < p + (1 << o) && q < m.n; q++) {
        const sq = m.state[q]!;
        if ((sq & S_WHERE) !== S_ALLOC || (sq & (S_HEAD | S_ORPHAN)) !== 0)
          say(`pfn ${hex(q)} inside allocation ${hex(p)} has state ${sq}`);
        if (m.md[2 * q] !== lo || m.md[2 * q + 1] !== hi)
          say(`pfn ${hex(q)} inside allocation ${hex(p)} has another memdesc word`);
      }
    } else if (where === S_LEAKED && (st & S_HEAD) !== 0) {
      cover(p, m.order[p]!, "leaked block");
    }
  }
  // Every page is accounted for once: free, allocated, orphaned or leaked.
  for (let p = 0; p < m.n; p++) {
    const st = m.state[p]!;
    const where = st & S_WHERE;
    const free = where === S_BUDDY || where === S_PCP;
    if (free || (where === S_ALLOC && (st & S_ORPHAN) === 0) || where === S_LEAKED) {
      if (owner[p] === -1) say(`pfn ${hex(p)} (state ${st}) is in no block`);
    } else if (owner[p] !== -1) {
      say(`orphaned pfn ${hex(p)} is inside block ${hex(owner[p]!)}`);
    }
    const buddyWord = (m.md[2 * p]! & 0xf) === enc.buddyType;
    // A page bad_page() leaked keeps the word it had, as the kernel leaves "bad fields for debug".
    if (free !== buddyWord && where !== S_LEAKED)
      say(
        `pfn ${hex(p)} is ${free ? "free" : "not free"} but its memdesc word is ${buddyWord ? "" : "not "}Buddy`,
      );
    if (free && (st & S_HEAD) === 0 && (m.md[2 * p] !== enc.buddyLo(0) || m.pageType[p] !== PT_UNTYPED))
      say(`free pfn ${hex(p)} inside a block has a block-head word or a page type`);
  }
  if (allocPages !== z.nrAllocPages)
    say(`${allocPages} pages are allocated, the counter says ${z.nrAllocPages}`);
  if (leakedPages !== z.nrLeakedPages)
    say(`${leakedPages} pages are leaked, the counter says ${z.nrLeakedPages}`);
  if (buddyPages + pcpPages + allocPages + leakedPages !== m.n)
    say(`free ${buddyPages + pcpPages} + allocated ${allocPages} + leaked ${leakedPages} != ${m.n} pages`);
  return problems;
}
