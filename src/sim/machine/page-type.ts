/**
 * page_type and _mapcount, one word (include/linux/page-flags.h, newest
 * tree): a typed page has its PGTY_* value in the top byte and owner bits
 * below; an untyped page's word is UINT_MAX, read as _mapcount -1. The
 * accessors are PAGE_TYPE_OPS / FOLIO_TYPE_OPS: __SetPageX() and
 * __ClearPageX() VM_BUG_ON a page that has another type.
 */
import { PAGE_TYPES, type PageTypeName, pageTypeInfo } from "../../model/index.js";
import { PAGE_TYPE_UNTYPED, PT_UNTYPED } from "./constants.js";
import type { Ctx } from "./context.js";
import type { MemMap } from "./memmap.js";

/** The page type whose PGTY_* value is each top byte (null: untyped, or a mapcount). */
const TYPE_OF_TOP: readonly (PageTypeName | null)[] = (() => {
  const byTop = new Array<PageTypeName | null>(256).fill(null);
  for (const t of PAGE_TYPES) byTop[t.pgty] = t.name;
  return byTop;
})();

/** The condition __ClearPageX() asserts: PageX (PAGE_TYPE_OPS) or folio_test_x (FOLIO_TYPE_OPS). */
function clearCondition(type: PageTypeName): string {
  const info = pageTypeInfo(type);
  return info.uname ? `!Page${info.uname}(page)` : `!folio_test_${info.fname}(folio)`;
}

/** The page type a page_type word names, or null (untyped, or a mapcount). */
export function pageTypeOfWord(word: number): PageTypeName | null {
  return TYPE_OF_TOP[word >>> 24]!;
}

/** The whole page_type word (the PGTY_* value in the top byte, owner bits below). */
export function pageTypeWord(memmap: MemMap, pfn: number): number {
  return memmap.pageType[pfn]! >>> 0;
}

/** The page type a page's word names, or null (untyped, or a mapcount). */
export function pageTypeOf(memmap: MemMap, pfn: number): PageTypeName | null {
  return pageTypeOfWord(pageTypeWord(memmap, pfn));
}

/** PageX(page): (page_type >> 24) == PGTY_x. */
export function testPageType(memmap: MemMap, pfn: number, type: PageTypeName): boolean {
  return pageTypeWord(memmap, pfn) >>> 24 === pageTypeInfo(type).pgty;
}

/** The low 24 bits of a typed page's page_type, which its owner may use. */
export function pageTypeOwnerBits(memmap: MemMap, pfn: number): number {
  return pageTypeWord(memmap, pfn) & 0xff_ffff;
}

/** atomic_read(&page->_mapcount): -1 for an unmapped, untyped page. */
export function pageMapcount(memmap: MemMap, pfn: number): number {
  return pageTypeWord(memmap, pfn) | 0;
}

/** What a report says a page has: its type, or the raw word. */
function haveText(word: number): { readonly text: string; readonly got: string } {
  const have = pageTypeOfWord(word);
  return have
    ? { text: `page type ${have}`, got: have }
    : { text: `page_type 0x${word.toString(16)}`, got: `0x${word.toString(16)}` };
}

/**
 * __SetPageX(page): no-op if already X; VM_BUG_ON_PAGE(page_type != UINT_MAX)
 * with debugVm (MD003, stopped); without, the type is overwritten, as the
 * kernel does.
 */
export function setPageTypeOp(ctx: Ctx, op: string, pfn: number, type: PageTypeName): void {
  if (!ctx.checkLive(op, pfn)) return;
  const memmap = ctx.zone.memmap;
  const pgty = pageTypeInfo(type).pgty;
  const word = memmap.pageType[pfn]! >>> 0;
  if (word >>> 24 === pgty) return;
  if (word !== PAGE_TYPE_UNTYPED && ctx.config.debugVm) {
    const have = haveText(word);
    ctx.bug(
      "MD003",
      op,
      pfn,
      "data_race(page->page_type) != UINT_MAX",
      `pfn 0x${pfn.toString(16)} already has ${have.text}; a page has one type at a time`,
      "include/linux/page-flags.h",
      { expected: "page_type UINT_MAX", got: have.got },
    );
    return;
  }
  memmap.pageType[pfn] = pgty << 24;
}

/**
 * __ClearPageX(page): no-op if untyped; VM_BUG_ON_PAGE(!PageX(page)) with
 * debugVm (MD004, stopped); without, whatever is there is cleared.
 */
export function clearPageTypeOp(ctx: Ctx, op: string, pfn: number, type: PageTypeName): void {
  if (!ctx.checkLive(op, pfn)) return;
  const memmap = ctx.zone.memmap;
  const word = memmap.pageType[pfn]! >>> 0;
  if (word === PAGE_TYPE_UNTYPED) return;
  if (word >>> 24 !== pageTypeInfo(type).pgty && ctx.config.debugVm) {
    const have = haveText(word);
    ctx.bug(
      "MD004",
      op,
      pfn,
      clearCondition(type),
      `pfn 0x${pfn.toString(16)} has ${have.text}, not ${type}`,
      "include/linux/page-flags.h",
      { expected: type, got: have.got },
    );
    return;
  }
  memmap.pageType[pfn] = PT_UNTYPED;
}

/** Write the low 24 bits of a typed page's page_type, which its owner may use; the type stays. */
export function setPageTypeOwnerBitsOp(ctx: Ctx, op: string, pfn: number, value: number): void {
  if (!ctx.checkLive(op, pfn)) return;
  if (!Number.isInteger(value) || value < 0 || value > 0xff_ffff)
    throw new RangeError(`owner bits ${value} do not fit in 24 bits`);
  const memmap = ctx.zone.memmap;
  memmap.pageType[pfn] = (memmap.pageType[pfn]! & 0xff00_0000) | value;
}

/** atomic_set(&page->_mapcount, mapcount) */
export function setPageMapcountOp(ctx: Ctx, op: string, pfn: number, mapcount: number): void {
  if (!ctx.checkLive(op, pfn)) return;
  ctx.zone.memmap.pageType[pfn] = mapcount | 0;
}
