/**
 * The upper fields of the page flags word, derived from one configuration as
 * include/linux/page-flags-layout.h (linux-mm/linux-mm @0dccebc977a3) and the
 * *_PGOFF chain of include/linux/mm.h do it:
 *
 *   | [SECTION] | [NODE] | ZONE | [LAST_CPUPID] | [KASAN_TAG] | LRU_GEN | LRU_REFS | ... | FLAGS |
 *
 * ZONES_SHIFT from MAX_NR_ZONES (3 for 5 zones, i.e. with ZONE_DEVICE);
 * SECTIONS_WIDTH only with SPARSEMEM classic; NODES_WIDTH = NODES_SHIFT when
 * it fits; LAST_CPUPID_SHIFT = 8 + NR_CPUS_BITS only with NUMA_BALANCING, and
 * LAST_CPUPID_WIDTH = that shift when it fits (else LAST_CPUPID_NOT_IN_PAGE_FLAGS);
 * LRU_REFS_WIDTH = min(__LRU_REFS_WIDTH, what is left).
 */

export interface FlagsLayoutConfig {
  readonly bitsPerLong: 64;
  /** NR_PAGEFLAGS of the kernel (enum pageflags under the flag configuration). */
  readonly nrPageflags: number;
  /** CONFIG_SPARSEMEM_CLASSIC (x86-64 uses SPARSEMEM_VMEMMAP: no section field). */
  readonly sparsemClassic: boolean;
  /** SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS (only used with SPARSEMEM classic). */
  readonly sectionsShift: number;
  /** MAX_NR_ZONES (DMA, DMA32, NORMAL, MOVABLE, and DEVICE with CONFIG_ZONE_DEVICE). */
  readonly maxNrZones: number;
  /** CONFIG_NODES_SHIFT. */
  readonly nodesShift: number;
  /** CONFIG_NUMA_BALANCING. */
  readonly numaBalancing: boolean;
  /** NR_CPUS_BITS (order_base_2(NR_CPUS)). */
  readonly nrCpusBits: number;
  /** KASAN_TAG_WIDTH: 8 with KASAN_SW_TAGS, 4 with KASAN_HW_TAGS, else 0. */
  readonly kasanTagWidth: number;
  /** LRU_GEN_WIDTH (CONFIG_LRU_GEN: order_base_2(MAX_NR_GENS + 1) = 3), else 0. */
  readonly lruGenWidth: number;
  /** __LRU_REFS_WIDTH (CONFIG_LRU_GEN: MAX_NR_TIERS - 2 = 2), else 0. */
  readonly lruRefsWidthMax: number;
}

/**
 * The model's configuration (an x86-64 distribution build: SPARSEMEM_VMEMMAP,
 * ZONE_DEVICE, NODES_SHIFT 10, NUMA_BALANCING, NR_CPUS 8192, LRU_GEN, no KASAN
 * tags) — the model's choice of a typical build, not a kernel fact; NR_PAGEFLAGS
 * 25 is the newest table's (src/model/page-flags.ts).
 */
export const FLAGS_LAYOUT_CONFIG: FlagsLayoutConfig = {
  bitsPerLong: 64,
  nrPageflags: 25,
  sparsemClassic: false,
  sectionsShift: 0,
  maxNrZones: 5,
  nodesShift: 10,
  numaBalancing: true,
  nrCpusBits: 13,
  kasanTagWidth: 0,
  lruGenWidth: 3,
  lruRefsWidthMax: 2,
};

/** One field of the upper flags word: bits [shift, shift + width). */
export interface FlagsField {
  readonly name: "section" | "node" | "zone" | "lastcpupid" | "kasantag" | "lru_gen" | "lru_refs";
  readonly shift: number;
  readonly width: number;
}

export interface FlagsLayout {
  readonly zonesShift: number;
  readonly lastCpupidShift: number;
  /** LAST_CPUPID_NOT_IN_PAGE_FLAGS: the kernel keeps page->_last_cpupid instead. */
  readonly lastCpupidNotInPageFlags: boolean;
  /** The fields with a non-zero width, highest first. */
  readonly fields: readonly FlagsField[];
}

function zonesShift(maxNrZones: number): number {
  if (maxNrZones < 2) return 0;
  if (maxNrZones <= 2) return 1;
  if (maxNrZones <= 4) return 2;
  if (maxNrZones <= 8) return 3;
  throw new RangeError('ZONES_SHIFT "Too many zones configured"');
}

/** page-flags-layout.h and mm.h's *_PGOFF, evaluated. */
export function flagsLayout(c: FlagsLayoutConfig): FlagsLayout {
  const free = c.bitsPerLong - c.nrPageflags;
  const zones = zonesShift(c.maxNrZones);
  const sections = c.sparsemClassic ? c.sectionsShift : 0;
  const nodesFit = zones + c.lruGenWidth + sections + c.nodesShift <= free;
  if (!nodesFit && !c.sparsemClassic) throw new RangeError("Vmemmap: No space for nodes field in page flags");
  const nodes = nodesFit ? c.nodesShift : 0;
  const lastCpupidShift = c.numaBalancing ? 8 + c.nrCpusBits : 0;
  const used = zones + c.lruGenWidth + sections + nodes + c.kasanTagWidth;
  const lastCpupid = used + lastCpupidShift <= free ? lastCpupidShift : 0;
  if (used + lastCpupid > free) throw new RangeError("Not enough bits in page flags");
  const lruRefs = Math.min(c.lruRefsWidthMax, free - used - lastCpupid);
  const widths: [FlagsField["name"], number][] = [
    ["section", sections],
    ["node", nodes],
    ["zone", zones],
    ["lastcpupid", lastCpupid],
    ["kasantag", c.kasanTagWidth],
    ["lru_gen", c.lruGenWidth],
    ["lru_refs", lruRefs],
  ];
  // SECTIONS_PGOFF = BITS_PER_LONG - SECTIONS_WIDTH, and each next PGOFF is the previous minus its width.
  let off = c.bitsPerLong;
  const fields: FlagsField[] = [];
  for (const [name, width] of widths) {
    off -= width;
    if (width > 0) fields.push({ name, shift: off, width });
  }
  return {
    zonesShift: zones,
    lastCpupidShift,
    lastCpupidNotInPageFlags: lastCpupidShift !== 0 && lastCpupid === 0,
    fields,
  };
}

/** A field's value in a flags word (0 when the layout has no such field). */
export function flagsFieldValue(flags: bigint, layout: FlagsLayout, name: FlagsField["name"]): number {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) return 0;
  return Number((flags >> BigInt(f.shift)) & ((1n << BigInt(f.width)) - 1n));
}
