/**
 * The leak ledger (MD018): at the end of a run, every allocation never
 * freed, grouped by allocation, and — called out separately — the tail pages
 * of non-compound blocks that nobody owns any more, plus blocks bad_page()
 * leaked. Built by one pass over the state column (O(pages)).
 */
import type { MemdescKindName } from "../../model/index.js";
import { MISC_SUBTYPES, PAGE_FLAG_MASK } from "../../model/index.js";
import { S_ALLOC, S_HEAD, S_LEAKED, S_ORPHAN, S_WHERE } from "./constants.js";
import type { Ctx } from "./context.js";
import { PageHead } from "./memmap.js";

const PG_HWPOISON = PAGE_FLAG_MASK.PG_hwpoison;

export interface LedgerAllocation {
  readonly pfn: number;
  readonly order: number;
  readonly pages: number;
  readonly compound: boolean;
  /** The memdesc kind the allocation's word names (misc for a plain block). */
  readonly kind: MemdescKindName | null;
  /** For misc blocks, the Misc subtype name (e.g. "unknown"). */
  readonly miscSubtype: string | null;
  readonly refcount: number;
  /** With trackAllocSites. */
  readonly site: string | null;
}

/** A run of orphaned tail pages: allocated, owned by nobody (MD018). */
export interface LedgerOrphanRun {
  readonly pfn: number;
  readonly pages: number;
  /** The first page of the block they came from, and its order. */
  readonly formerHead: number | null;
  readonly formerOrder: number | null;
  /** The operation that freed the block without them (`put_page`, `__pagetable_free`, `__free_pages` …). */
  readonly freedBy: string | null;
  readonly site: string | null;
}

export interface LedgerLeakedBlock {
  readonly pfn: number;
  readonly order: number;
  readonly pages: number;
  /** "bad_page": a free-time check failed; "hwpoison": an order-0 hwpoisoned page kept from the allocator. */
  readonly reason: "bad_page" | "hwpoison";
}

export interface Ledger {
  readonly allocations: readonly LedgerAllocation[];
  readonly orphanedTails: readonly LedgerOrphanRun[];
  readonly leaked: readonly LedgerLeakedBlock[];
  /** Pages in live allocations. */
  readonly allocatedPages: number;
  readonly orphanedPages: number;
  readonly leakedPages: number;
}

/** The leak ledger: allocations never freed, orphaned tails, leaked blocks. */
export function buildLedger(ctx: Ctx): Ledger {
  const siteNames = ctx.reporter.siteNames;
  const zone = ctx.zone;
  const memmap = zone.memmap;
  const allocations: LedgerAllocation[] = [];
  const orphanedTails: LedgerOrphanRun[] = [];
  const leaked: LedgerLeakedBlock[] = [];
  let allocatedPages = 0;
  let orphanedPages = 0;
  let leakedPages = 0;
  const siteOf = (p: number) => (memmap.site?.[p] ? (siteNames[memmap.site[p]!] ?? null) : null);
  const eventOf = (p: number) => {
    for (let i = ctx.orphanEvents.length - 1; i >= 0; i--) {
      const e = ctx.orphanEvents[i]!;
      if (p >= e.from && p < e.to) return e;
    }
    return null;
  };
  for (let p = 0; p < memmap.n; p++) {
    const st = memmap.state[p]!;
    const where = st & S_WHERE;
    if (where === S_ALLOC && (st & S_ORPHAN) !== 0) {
      // Each orphaning (ctx.orphan) covers one contiguous range, so a run ends with its event's range.
      const e = eventOf(p);
      const limit = e ? e.to : memmap.n;
      let end = p + 1;
      while (end < limit && (memmap.state[end]! & (S_WHERE | S_ORPHAN)) === (S_ALLOC | S_ORPHAN)) end++;
      orphanedTails.push({
        pfn: p,
        pages: end - p,
        formerHead: e?.head ?? null,
        formerOrder: e?.order ?? null,
        freedBy: e?.op ?? null,
        site: e ? siteOf(e.head) : null,
      });
      orphanedPages += end - p;
      p = end - 1;
    } else if (where === S_ALLOC && (st & S_HEAD) !== 0) {
      const order = memmap.order[p]!;
      const lo = memmap.md[2 * p]!;
      const kind = zone.encoder.kindNameOfWord(lo);
      const misc = (lo & 0xf) === zone.encoder.miscType;
      allocations.push({
        pfn: p,
        order,
        pages: 1 << order,
        compound: PageHead(memmap, p),
        kind,
        miscSubtype: misc ? (MISC_SUBTYPES[(lo >>> 4) & 0x7f] ?? `subtype ${(lo >>> 4) & 0x7f}`) : null,
        refcount: memmap.refcount[p]!,
        site: siteOf(p),
      });
      allocatedPages += 1 << order;
    } else if (where === S_LEAKED && (st & S_HEAD) !== 0) {
      const order = memmap.order[p]!;
      leaked.push({
        pfn: p,
        order,
        pages: 1 << order,
        reason: order === 0 && (memmap.flags[p]! & PG_HWPOISON) !== 0 ? "hwpoison" : "bad_page",
      });
      leakedPages += 1 << order;
    }
  }
  return { allocations, orphanedTails, leaked, allocatedPages, orphanedPages, leakedPages };
}

/** Who kept a leaked block from the allocator, by the ledger's reason. */
const KEPT_BY: Readonly<Record<LedgerLeakedBlock["reason"], string>> = {
  bad_page: "bad_page()",
  hwpoison: "__free_pages_prepare (hwpoison)",
};

const hex = (p: number) => `0x${p.toString(16).padStart(5, "0")}`;

/** The ledger as text, one line per allocation or run. */
export function renderLedger(l: Ledger): string {
  const lines: string[] = [];
  lines.push(
    `memdesc: leak ledger: ${l.allocations.length} allocation(s) never freed (${l.allocatedPages} pages), ${l.orphanedPages} orphaned tail page(s), ${l.leakedPages} page(s) leaked by bad_page()`,
  );
  for (const allocation of l.allocations) {
    const kind =
      allocation.miscSubtype !== null
        ? `${allocation.kind}(${allocation.miscSubtype})`
        : (allocation.kind ?? "?");
    lines.push(
      `  MD018 pfn ${hex(allocation.pfn)} order ${allocation.order} (${allocation.pages} pages) ${allocation.compound ? "compound" : "non-compound"} ${kind} refcount ${allocation.refcount}${allocation.site ? ` allocated at ${allocation.site}` : ""}`,
    );
  }
  for (const run of l.orphanedTails) {
    const from =
      run.formerHead !== null
        ? ` of the non-compound order-${run.formerOrder} block at ${hex(run.formerHead)}, freed by ${run.freedBy} without them`
        : "";
    lines.push(
      `  MD018 orphaned tail pages ${hex(run.pfn)}-${hex(run.pfn + run.pages - 1)} (${run.pages} pages)${from}: nobody owns them${run.site ? ` (allocated at ${run.site})` : ""}`,
    );
  }
  for (const block of l.leaked) {
    lines.push(
      `  MD016 pfn ${hex(block.pfn)} order ${block.order} (${block.pages} pages) kept from the allocator by ${KEPT_BY[block.reason]}`,
    );
  }
  return lines.join("\n");
}
