/**
 * Stages of the shrink of `struct page`. A stage is a parameter of the whole
 * model: the same refactor file is type-checked against any of them
 * (docs/decisions/0003-stage-selection.md).
 */
import { inputError } from "./errors.js";

export const STAGES = ["today", "interim32", "interim16", "final"] as const;
export type Stage = (typeof STAGES)[number];

export interface StageInfo {
  readonly stage: Stage;
  /** sizeof(struct page) on 64-bit. */
  readonly pageBytes: number;
  readonly title: string;
  readonly source: string;
  /** Whether descriptors are separately allocated at this stage (else they overlay struct page). */
  readonly separateDescriptors: boolean;
}

export const STAGE_INFO: Readonly<Record<Stage, StageInfo>> = {
  today: {
    stage: "today",
    pageBytes: 64,
    title: "today: 64-byte struct page; folio, slab, ptdesc, zpdesc overlay it",
    source: "include/linux/mm_types.h (linux-mm/linux-mm @0199209e)",
    separateDescriptors: false,
  },
  interim32: {
    stage: "interim32",
    pageBytes: 32,
    title: "interim: 32-byte struct page, descriptors allocated separately",
    source:
      "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path (2025); Wilcox, linux-mm, Jan 2025, message Z37pxbkHPbLYnDKn@casper.infradead.org ('halves the size of memmap')",
    separateDescriptors: true,
  },
  interim16: {
    stage: "interim16",
    pageBytes: 16,
    title: "interim: 16-byte struct page { union { memdesc; struct buddy } } (Wilcox's buddy 'option 1')",
    source:
      "Wilcox, linux-mm, Jan 2024, https://www.spinics.net/lists/linux-mm/msg369183.html ('option 1'); decision 0302 (Path rev 1's variant kept as an alternative)",
    separateDescriptors: true,
  },
  final: {
    stage: "final",
    pageBytes: 8,
    title: "final: struct page is one 8-byte memdesc word",
    source:
      "https://kernelnewbies.org/MatthewWilcox/Memdescs; Wilcox, iommu/sva thread, 26 Aug 2025, message aK3FsU1Dds4OG79o@casper.infradead.org",
    separateDescriptors: true,
  },
};

export function parseStage(text: string): Stage {
  if ((STAGES as readonly string[]).includes(text)) return text as Stage;
  return inputError(`unknown stage '${text}' (known: ${STAGES.join(", ")})`);
}
