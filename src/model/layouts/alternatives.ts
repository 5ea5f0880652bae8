/**
 * The published struct page layouts the model did NOT choose for a stage,
 * kept as data so the docs can show them and the tests hold them to the same
 * structural rules. Why each lost: docs/decisions/0302-interim-and-final-layouts.md.
 */
import type { Stage } from "../stage.js";
import type { StructLayout } from "./types.js";

export interface AlternativeLayout {
  readonly id: string;
  /** The stage whose chosen layout this one competes with. */
  readonly stage: Stage;
  readonly title: string;
  readonly layout: StructLayout;
}

export const ALTERNATIVE_PAGE_LAYOUTS: readonly AlternativeLayout[] = [
  {
    id: "path-2025-early",
    stage: "interim32",
    title:
      "32 bytes, _refcount inside the list union (Path 2025 ?action=raw; Wilcox, 'goals for 2025', Jan 2025)",
    layout: {
      struct: "page",
      stage: "interim32",
      size: 32,
      overlays: false,
      source:
        "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path (2025, ?action=raw); Wilcox, linux-mm, Jan 2025 (https://www.spinics.net/lists/linux-mm/msg418594.html), which names the mapcount _folio_mapcount",
      unions: [
        { id: "list", offset: 8, size: 16 },
        { id: "private", offset: 24, size: 8 },
      ],
      fields: [
        { name: "flags", offset: 0, size: 8, ctype: "unsigned long", ts: "flags" },
        {
          name: "buddy_list",
          offset: 8,
          size: 16,
          ctype: "struct list_head",
          ts: "list_head",
          union: "list",
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
        },
        {
          name: "_refcount",
          offset: 16,
          size: 4,
          ctype: "int",
          ts: "atomic",
          union: "list",
          alt: "desc",
          note: "0 for folios; overlaps buddy_list.prev of a free page",
        },
        { name: "private", offset: 24, size: 8, ctype: "unsigned long", ts: "ulong", union: "private" },
        {
          name: "_mapcount",
          offset: 24,
          size: 4,
          ctype: "int",
          ts: "atomic",
          union: "private",
          alt: "folio",
          note: "only used for folios?",
        },
      ],
    },
  },
  {
    id: "path-rev1",
    stage: "interim32",
    title: "32 bytes {flags; buddy_list | compound_head; private} (Path revision 1, May 2024)",
    layout: {
      struct: "page",
      stage: "interim32",
      size: 32,
      overlays: false,
      source: "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=recall&rev=1 (May 2024)",
      unions: [{ id: "list", offset: 8, size: 16 }],
      fields: [
        { name: "flags", offset: 0, size: 8, ctype: "unsigned long", ts: "flags" },
        {
          name: "buddy_list",
          offset: 8,
          size: 16,
          ctype: "struct list_head",
          ts: "list_head",
          union: "list",
        },
        {
          name: "compound_head",
          offset: 8,
          size: 8,
          ctype: "unsigned long",
          ts: "memdesc",
          union: "list",
          note: "points at the dynamically allocated memdesc of every page",
        },
        { name: "private", offset: 24, size: 8, ctype: "unsigned long", ts: "ulong" },
      ],
    },
  },
  {
    id: "digest-16",
    stage: "interim16",
    title:
      "16 bytes {buddy_list | {memdesc, private}} (the model's own reading of Path revision 1; not in its text)",
    layout: {
      struct: "page",
      stage: "interim16",
      size: 16,
      overlays: false,
      source:
        "the model's own: attributed to Path revision 1, whose text (https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=recall&rev=1) shows no 16-byte layout",
      unions: [{ id: "list", offset: 0, size: 16 }],
      fields: [
        {
          name: "buddy_list",
          offset: 0,
          size: 16,
          ctype: "struct list_head",
          ts: "list_head",
          union: "list",
        },
        {
          name: "memdesc",
          offset: 0,
          size: 8,
          ctype: "unsigned long",
          ts: "memdesc",
          union: "list",
          alt: "desc",
        },
        {
          name: "private",
          offset: 8,
          size: 8,
          ctype: "unsigned long",
          ts: "ulong",
          union: "list",
          alt: "desc",
        },
      ],
    },
  },
];
