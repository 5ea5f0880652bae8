/**
 * Stage `interim32`: the 32-byte struct page of the newest published plan,
 * with every descriptor allocated separately (separate.ts).
 *
 * struct page is quoted from Matthew Wilcox, "A plan for supporting
 * PageMovable in 2025", linux-mm, 17 Mar 2025 (message
 * Z9hVE-SzM-IuS-6B@casper.infradead.org,
 * https://lore.kerneltesting.org/linux-mm/Z9hVE-SzM-IuS-6B@casper.infradead.org;
 * also https://www.spinics.net/lists/linux-mm/msg429454.html): "The current proposed layout for struct
 * page is:"
 *
 *   struct page {
 *       unsigned long flags;
 *       union {
 *           struct list_head buddy_list;
 *           struct list_head pcp_list;
 *           struct {
 *               unsigned long memdesc;
 *               union {
 *                   unsigned long private;
 *                   atomic_t _mapcount;
 *               };
 *           };
 *       };
 *       int _refcount;
 *   };
 *
 * The mail carries no comments on the members; the notes below that quote
 * one ("only used for folios?", "0 for folios") quote the Path page's own
 * 32-byte layout, https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw,
 * which is a different layout (see below).
 *
 * The Path page (?action=raw; Wilcox, "goals for 2025", Jan 2025) puts
 * _refcount inside the union next to memdesc and private/_mapcount after it;
 * it is kept in ALTERNATIVE_PAGE_LAYOUTS. Why this one:
 * docs/decisions/0302-interim-and-final-layouts.md; the citation:
 * docs/decisions/0330-interim32-source.md.
 */
import {
  PAGEMOVABLE_2025,
  SEPARATE_FOLIO,
  SEPARATE_PTDESC,
  SEPARATE_SLAB,
  SEPARATE_ZPDESC,
} from "./separate.js";
import type { StageLayouts } from "./types.js";

export const INTERIM32 = {
  page: {
    struct: "page",
    stage: "interim32",
    size: 32,
    overlays: false,
    source: PAGEMOVABLE_2025,
    derived:
      "offsets are the model's arithmetic: 28 bytes of members, padded to 32 by the 8-byte alignment of unsigned long",
    unions: [
      { id: "list", offset: 8, size: 16 },
      { id: "private", offset: 16, size: 8, parent: "list", alt: "desc" },
    ],
    fields: [
      {
        name: "flags",
        offset: 0,
        size: 8,
        ctype: "unsigned long",
        ts: "flags",
        note: "Kept intact so page_zone() keeps working; a folio's flags are copied into struct folio (Path ?action=raw: 'we copy page->flags from the first page to the folio, but leave it intact')",
      },
      {
        name: "buddy_list",
        offset: 8,
        size: 16,
        ctype: "struct list_head",
        ts: "list_head",
        union: "list",
        note: "Overlaps memdesc: memdesc types 0, 4, 8 and 12 all read as Buddy (the model's reading of the overlay)",
      },
      { name: "pcp_list", offset: 8, size: 16, ctype: "struct list_head", ts: "list_head", union: "list" },
      {
        name: "memdesc",
        offset: 8,
        size: 8,
        ctype: "unsigned long",
        ts: "memdesc",
        union: "list",
        alt: "desc",
        note: "Type in bits 0-3, pointer to the separately allocated descriptor above (replaces compound_head)",
      },
      { name: "private", offset: 16, size: 8, ctype: "unsigned long", ts: "ulong", union: "private" },
      {
        name: "_mapcount",
        offset: 16,
        size: 4,
        ctype: "atomic_t",
        ts: "atomic",
        union: "private",
        note: "Path ?action=raw comments its _mapcount 'only used for folios?'; the mail has no comment",
      },
      {
        name: "_refcount",
        offset: 24,
        size: 4,
        ctype: "int",
        ts: "atomic",
        note: "Outside the list union (the mail), so a free page reads 0; '0 for folios' is Path ?action=raw's comment (a folio's refcount is folio->_refcount)",
      },
    ],
  },
  folio: { ...SEPARATE_FOLIO, stage: "interim32" },
  ptdesc: { ...SEPARATE_PTDESC, stage: "interim32" },
  slab: { ...SEPARATE_SLAB, stage: "interim32" },
  zpdesc: { ...SEPARATE_ZPDESC, stage: "interim32" },
} as const satisfies StageLayouts;
