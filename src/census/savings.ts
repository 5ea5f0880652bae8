/**
 * The savings model: what the memmap of the censused machine costs at each
 * stage of the shrink of struct page (64 → 32 → 16 → 8 bytes,
 * https://kernelnewbies.org/MatthewWilcox/Memdescs and Memdescs/Path):
 *   memmap(stage) = pageBytes(stage) × pages
 *                 + Σ over allocations of a kind with a separate descriptor: descriptorBytes(kind)
 * where descriptors count only at stages that allocate them separately
 * (STAGE_INFO[stage].separateDescriptors) and sizes come from MEMDESC_KINDS,
 * overridable per memdesc kind. `pages` is every PFN the file covers except
 * KPF_NOPAGE ones: those have no memmap.
 */
import {
  inputError,
  MEMDESC_KIND_NAMES,
  MEMDESC_KINDS,
  type MemdescKindName,
  STAGE_INFO,
  STAGES,
  type Stage,
} from "../model/index.js";
import type { CensusResult } from "./census.js";
import { CENSUS_KIND_INFO, CENSUS_KINDS, type CensusKind } from "./kinds.js";

export type DescriptorSizes = Readonly<Record<MemdescKindName, number>>;

export function defaultDescriptorSizes(): DescriptorSizes {
  const out = {} as Record<MemdescKindName, number>;
  for (const k of MEMDESC_KIND_NAMES) out[k] = MEMDESC_KINDS[k].descriptorBytes;
  return out;
}

/**
 * Parse `--descriptor KIND=BYTES` values into sizes (defaults for the rest).
 * KIND is a memdesc kind (src/model/kinds.ts); a census kind name is answered
 * with the memdesc kind it maps to, since several census kinds share one.
 */
export function parseDescriptorSizes(specs: readonly string[]): DescriptorSizes {
  const sizes = { ...defaultDescriptorSizes() } as Record<MemdescKindName, number>;
  const given = new Map<MemdescKindName, number>();
  for (const spec of specs) {
    const m = /^\s*([A-Za-z_]+)\s*=\s*(\S+)\s*$/.exec(spec);
    if (!m) inputError(`--descriptor '${spec}' is not KIND=BYTES (e.g. --descriptor folio=96)`);
    const name = m[1]!;
    const text = m[2]!;
    if (!(MEMDESC_KIND_NAMES as readonly string[]).includes(name)) {
      const census = CENSUS_KIND_INFO[name as CensusKind] as
        | (typeof CENSUS_KIND_INFO)[CensusKind]
        | undefined;
      if (census?.memdesc) {
        inputError(
          `--descriptor '${spec}': '${name}' is a census kind; descriptor sizes are per memdesc kind (${name} → ${census.memdesc})`,
        );
      }
      inputError(
        `--descriptor '${spec}': unknown memdesc kind '${name}' (known: ${MEMDESC_KIND_NAMES.join(", ")})`,
      );
    }
    const kind = name as MemdescKindName;
    if (!/^[0-9]+$/.test(text))
      inputError(`--descriptor '${spec}': size '${text}' is not a whole number of bytes`);
    const bytes = Number(text);
    if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes % 16 !== 0) {
      inputError(
        `--descriptor '${spec}': size must be a positive multiple of 16 (descriptors are 16-byte aligned slab objects)`,
      );
    }
    const before = given.get(kind);
    if (before !== undefined && before !== bytes) {
      inputError(`--descriptor: conflicting sizes for ${kind} (${before} and ${bytes})`);
    }
    given.set(kind, bytes);
    sizes[kind] = bytes;
  }
  return sizes;
}

export interface StageCost {
  readonly stage: Stage;
  readonly bytesPerPage: number;
  readonly memmapBytes: number;
  readonly descriptorBytes: number;
  readonly totalBytes: number;
  readonly percentOfRam: number;
}

export interface DescriptorDemand {
  readonly kind: MemdescKindName;
  /** Allocations (or free blocks, for a free kind) that would each need one descriptor. */
  readonly count: number;
  readonly bytesEach: number;
  readonly bytes: number;
}

export interface MemmapCost {
  /** Page frames with a memmap entry: every PFN but KPF_NOPAGE ones. */
  readonly pages: number;
  readonly ramBytes: number;
  readonly descriptors: readonly DescriptorDemand[];
  /** Allocations of census kinds with no memdesc kind (other): no descriptor is counted for them. */
  readonly unnamedAllocations: number;
  readonly stages: Readonly<Record<Stage, StageCost>>;
}

/** How many descriptors a census kind's pages would need: one per allocation, or per free block. */
function demandOf(result: CensusResult, kind: CensusKind): number {
  switch (CENSUS_KIND_INFO[kind].accounting) {
    case "allocation":
      return result.kinds[kind].allocations;
    case "free":
      return result.freeBlocks.reduce((a, b) => a + b, 0);
    case "none":
      return 0;
  }
}

export function memmapCost(result: CensusResult, sizes: DescriptorSizes): MemmapCost {
  const pages = CENSUS_KINDS.filter((k) => CENSUS_KIND_INFO[k].hasMemmap)
    .map((k) => result.kinds[k].pages)
    .reduce((a, b) => a + b, 0);
  const ramBytes = pages * result.pageSize;

  const counts = new Map<MemdescKindName, number>();
  let unnamedAllocations = 0;
  for (const k of CENSUS_KINDS) {
    const md = CENSUS_KIND_INFO[k].memdesc;
    const n = demandOf(result, k);
    if (md === null) unnamedAllocations += n;
    else counts.set(md, (counts.get(md) ?? 0) + n);
  }
  const descriptors: DescriptorDemand[] = [];
  for (const kind of MEMDESC_KIND_NAMES) {
    const count = counts.get(kind);
    if (count === undefined) continue;
    descriptors.push({ kind, count, bytesEach: sizes[kind], bytes: count * sizes[kind] });
  }
  const descriptorTotal = descriptors.reduce((a, d) => a + d.bytes, 0);

  const stages = {} as Record<Stage, StageCost>;
  for (const stage of STAGES) {
    const info = STAGE_INFO[stage];
    const memmapBytes = info.pageBytes * pages;
    const descriptorBytes = info.separateDescriptors ? descriptorTotal : 0;
    const totalBytes = memmapBytes + descriptorBytes;
    stages[stage] = {
      stage,
      bytesPerPage: info.pageBytes,
      memmapBytes,
      descriptorBytes,
      totalBytes,
      percentOfRam: ramBytes > 0 ? (100 * totalBytes) / ramBytes : 0,
    };
  }
  return { pages, ramBytes, descriptors, unnamedAllocations, stages };
}
