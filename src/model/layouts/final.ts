/**
 * Stage `final`: struct page is one 8-byte word (kernelnewbies Memdescs;
 * Wilcox, linux-mm, early 2024: "turn struct page into struct page { unsigned
 * long memdesc; }"; iommu/sva thread, 26 Aug 2025: "We are attempting to
 * shrink struct page down to 8 bytes"). The descriptors are those of the
 * interim stages (separate.ts).
 */
import { SEPARATE_FOLIO, SEPARATE_PTDESC, SEPARATE_SLAB, SEPARATE_ZPDESC } from "./separate.js";
import type { StageLayouts } from "./types.js";

export const FINAL = {
  page: {
    struct: "page",
    stage: "final",
    size: 8,
    overlays: false,
    source:
      "kernelnewbies.org/MatthewWilcox/Memdescs; Wilcox, linux-mm, early 2024 (spinics msg369183); Wilcox, iommu/sva thread, 26 Aug 2025",
    unions: [],
    fields: [
      {
        name: "memdesc",
        offset: 0,
        size: 8,
        ctype: "unsigned long",
        ts: "memdesc",
        note: "Bits 0-3: type; above: a pointer to a 16-byte-aligned descriptor, or inline data (Misc, Buddy)",
      },
    ],
  },
  folio: { ...SEPARATE_FOLIO, stage: "final" },
  ptdesc: { ...SEPARATE_PTDESC, stage: "final" },
  slab: { ...SEPARATE_SLAB, stage: "final" },
  zpdesc: { ...SEPARATE_ZPDESC, stage: "final" },
} as const satisfies StageLayouts;
