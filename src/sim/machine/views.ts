/**
 * Views of one page: today's struct page, its eight words
 * (include/linux/mm_types.h) rebuilt from the machine's columns with the
 * fields they carry; the snapshot reports carry; dump_page() as text.
 */
import type { Ctx } from "./context.js";
import { memdescWordOf } from "./memdesc-words.js";
import { compound_head_pfn, PageHead, readULong } from "./memmap.js";
import { renderDump } from "./report.js";
import { type PageSnapshot, snapshotPage } from "./snapshot.js";
import { structPageWords } from "./struct-page.js";

/** The today view of one page: struct page's eight words and what they mean. */
export interface StructPageView {
  readonly pfn: number;
  readonly words: readonly bigint[];
  readonly flags: number;
  readonly refcount: number;
  readonly pageType: number;
  readonly private: number | bigint;
  readonly mapping: number | bigint;
  readonly compoundHead: number;
  readonly memdesc: bigint;
}

/** Today's view of the page: struct page's eight words and what they carry. */
export function structPageViewOf(ctx: Ctx, pfn: number): StructPageView {
  const memmap = ctx.zone.memmap;
  const head = compound_head_pfn(memmap, pfn);
  // page[1] of a compound page: its index and memcg_data slots hold folio fields (structPageWords).
  const second = pfn === head + 1 && head !== pfn && PageHead(memmap, head);
  return {
    pfn,
    words: structPageWords(memmap, pfn, ctx.config, second),
    flags: memmap.flags[pfn]!,
    refcount: memmap.refcount[pfn]!,
    pageType: memmap.pageType[pfn]! >>> 0,
    private: readULong(memmap.privateHalves, pfn),
    mapping: readULong(memmap.mappingHalves, pfn),
    compoundHead: head,
    memdesc: memdescWordOf(ctx, pfn),
  };
}

/** A snapshot of a page as reports carry it (snapshot.ts). */
export function snapshotOf(ctx: Ctx, pfn: number): PageSnapshot {
  return snapshotPage(ctx.zone, ctx.config, pfn);
}

/** dump_page(page, reason) as text: what Reporter.dumpView() (reporter.ts) shows, rendered (report.ts). */
export function dumpPageOf(ctx: Ctx, pfn: number, reason: string | null = null): string {
  const view = ctx.reporter.dumpView(pfn);
  return renderDump(view.page, view.folio, reason, view.unfaithful === true);
}
