/**
 * Today's view of one page: struct page's eight words (include/linux/mm_types.h)
 * rebuilt from the machine's columns, with the fields they carry.
 */
import { PAGE_FLAG_MASK } from "../../model/index.js";
import type { Ctx } from "./context.js";
import { memdescWordOf } from "./memdesc-words.js";
import { compound_head_pfn, readULong } from "./memmap.js";
import { structPageWords } from "./struct-page.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;

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

export function structPageViewOf(ctx: Ctx, pfn: number): StructPageView {
  const memmap = ctx.zone.memmap;
  const head = compound_head_pfn(memmap, pfn);
  // page[1] of a compound page: its index and memcg_data slots hold folio fields (structPageWords).
  const second = pfn === head + 1 && head !== pfn && (memmap.flags[head]! & PG_HEAD) !== 0;
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
