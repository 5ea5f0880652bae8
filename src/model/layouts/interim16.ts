/**
 * Stage `interim16`: the 16-byte struct page of Wilcox's "Option 1" for the
 * buddy allocator (linux-mm, early 2024, https://www.spinics.net/lists/linux-mm/msg369183.html), with
 * every descriptor allocated separately (separate.ts):
 *
 *   struct buddy {
 *       unsigned long next;
 *       unsigned long prev;
 *   };
 *
 *   struct page {
 *       union {
 *           unsigned long memdesc;
 *           struct buddy buddy;
 *       };
 *   };
 *
 * "This gives us a 16 byte struct page. The 'next' field has its bottom four
 * bits used for the memdesc type for buddy pages. The bottom four bits of
 * 'prev' can be used to store the order." Node/zone/section are rebuilt when
 * the page is allocated, so page->flags is gone.
 *
 * Memdescs/Path rev 1 (May 2024) reaches this step the same way: 32 bytes,
 * then remove page->private from drivers, then "the various options
 * presented in MatthewWilcox/BuddyAllocator". The digest's reading
 * {buddy_list | {memdesc, private}} is kept in ALTERNATIVE_PAGE_LAYOUTS.
 * Decision: docs/decisions/0302-interim-and-final-layouts.md.
 */
import { SEPARATE_FOLIO, SEPARATE_PTDESC, SEPARATE_SLAB, SEPARATE_ZPDESC } from "./separate.js";
import type { StageLayouts } from "./types.js";

export const BUDDY_OPTION_1 =
  "Wilcox, linux-mm, early 2024, buddy allocator 'Option 1' (https://www.spinics.net/lists/linux-mm/msg369183.html)";

export const INTERIM16 = {
  page: {
    struct: "page",
    stage: "interim16",
    size: 16,
    overlays: false,
    source: BUDDY_OPTION_1,
    unions: [{ id: "desc", offset: 0, size: 16 }],
    fields: [
      {
        name: "memdesc",
        offset: 0,
        size: 8,
        ctype: "unsigned long",
        ts: "memdesc",
        union: "desc",
        note: "Type in bits 0-3; descriptor pointer or inline data above",
      },
      {
        name: "buddy",
        offset: 0,
        size: 16,
        ctype: "struct buddy",
        ts: "buddy",
        union: "desc",
        note: "Free pages: next (low 4 bits = the Buddy memdesc type) and prev (low 4 bits = order, so at most order 15)",
      },
    ],
  },
  folio: { ...SEPARATE_FOLIO, stage: "interim16" },
  ptdesc: { ...SEPARATE_PTDESC, stage: "interim16" },
  slab: { ...SEPARATE_SLAB, stage: "interim16" },
  zpdesc: { ...SEPARATE_ZPDESC, stage: "interim16" },
} as const satisfies StageLayouts;
