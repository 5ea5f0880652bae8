/**
 * Stage `final`: struct page is one 8-byte word (https://kernelnewbies.org/MatthewWilcox/Memdescs;
 * Wilcox, linux-mm, early 2024, https://www.spinics.net/lists/linux-mm/msg369183.html: "turn struct page into struct page { unsigned
 * long memdesc; }"; iommu/sva thread, 26 Aug 2025, message aK3FsU1Dds4OG79o@casper.infradead.org: "We are attempting to
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
      "https://kernelnewbies.org/MatthewWilcox/Memdescs; Wilcox, linux-mm, early 2024 (https://www.spinics.net/lists/linux-mm/msg369183.html); Wilcox, iommu/sva thread, 26 Aug 2025, message aK3FsU1Dds4OG79o@casper.infradead.org",
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
