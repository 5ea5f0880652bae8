/**
 * Assemble the census document (schema.ts) from a census result, the memmap
 * cost and where the data came from. Text and SVG are rendered from this
 * document, so every number a reader sees is one `--json` also prints.
 */
import {
  formatKernel,
  type KernelVersion,
  kernelSeries,
  MEMDESC_KINDS,
  type MemdescKindName,
  STAGES,
} from "../model/index.js";
import type { CensusResult } from "./census.js";
import { CENSUS_MAX_ORDER } from "./free-blocks.js";
import { CENSUS_KIND_INFO, CENSUS_KINDS, type CensusKind } from "./kinds.js";
import { type DescriptorSizes, defaultDescriptorSizes, type MemmapCost } from "./savings.js";
import type { CensusDocument } from "./schema.js";

export interface CensusSourceInfo {
  readonly kind: CensusDocument["source"]["kind"];
  readonly kpageflags: string;
  readonly kpagecount: string | null;
  readonly captured: string | null;
  readonly note: string | null;
}

export interface CensusKernelInfo {
  readonly release: string | null;
  readonly version: KernelVersion;
  readonly chosenBy: CensusDocument["kernel"]["chosenBy"];
}

export interface CensusReportInput {
  readonly result: CensusResult;
  readonly cost: MemmapCost;
  readonly sizes: DescriptorSizes;
  readonly source: CensusSourceInfo;
  readonly kernel: CensusKernelInfo;
  /** /proc/buddyinfo free blocks per order summed over zones, if recorded with the data. */
  readonly buddyinfo: readonly number[] | null;
  /** Page size was not recorded with the data and was assumed. */
  readonly pageSizeAssumed: boolean;
}

const MiB = 2 ** 20;
export const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Bytes in the largest binary unit that keeps the number ≥ 1 (one decimal). */
export function humanBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function assumptions(input: CensusReportInput): string[] {
  const { result, cost, sizes, kernel } = input;
  const defaults = defaultDescriptorSizes();
  const out: string[] = [];
  out.push(
    `struct page per page frame: ${STAGES.map((s) => `${s} ${cost.stages[s].bytesPerPage} B`).join(", ")}; ` +
      `${cost.pages} page frames have a memmap (all ${result.pfns} PFNs but KPF_NOPAGE ones), and RAM is taken as ` +
      "those frames times the page size; HugeTLB Vmemmap Optimization and memmap_on_memory are not modelled",
  );
  const sized = cost.descriptors.filter((d) => d.bytesEach > 0);
  out.push(
    `descriptors are allocated separately from interim32 on (src/model/stage.ts), one per allocation of a kind that needs one: ${
      sized.length === 0
        ? "none"
        : sized
            .map(
              (d) => `${d.kind} ${d.bytesEach} B${d.bytesEach !== defaults[d.kind] ? " (--descriptor)" : ""}`,
            )
            .join(", ")
    }; sizes are multiples of 16 (slab objects, 16-byte aligned)`,
  );
  const inline = (Object.keys(sizes) as MemdescKindName[]).filter((k) => sizes[k] === 0);
  if (inline.length > 0) out.push(`inline kinds cost no descriptor: ${inline.join(", ")}`);
  const otherDesc = Math.max(
    ...(Object.keys(MEMDESC_KINDS) as MemdescKindName[]).map((k) => MEMDESC_KINDS[k].descriptorBytes),
  );
  if (cost.unnamedAllocations > 0) {
    out.push(
      `${cost.unnamedAllocations} allocations of kind 'other' (page types kpageflags does not export: large kmalloc, ` +
        `vmalloc, zsmalloc, page_pool, driver pages) get no descriptor; at ${otherDesc} B each they would add ` +
        `${humanBytes(cost.unnamedAllocations * otherDesc)}`,
    );
  }
  const flagless = result.kinds.flagless.pages;
  if (flagless > 0) {
    out.push(
      `${flagless} page frames read 0 ('flagless'): a hole without online memmap (kernels since the kpage_read() ` +
        "refactoring report holes as 0), a free page on a per-CPU list, an uninitialised memmap, or a kernel " +
        "allocation with no flags — kpageflags cannot tell; they are counted at the memmap rate with no descriptor",
    );
  }
  out.push(
    result.tailsTakeHeadKind
      ? `kernel ${formatKernel(kernelSeries(kernel.version))} (${result.semantics}): compound tail words lack the folio's state, so each tail takes its head's kind`
      : `kernel ${formatKernel(kernelSeries(kernel.version))} (${result.semantics}): compound tail words carry the folio's flags and page type and are classified by their own word`,
  );
  if (input.pageSizeAssumed)
    out.push(`page size ${result.pageSize} bytes assumed (not recorded with the data)`);
  return out;
}

function agreement(census: readonly number[], buddy: readonly number[]): CensusDocument["buddyinfo"] {
  const orders = Math.max(census.length, buddy.length);
  const difference: number[] = [];
  for (let o = 0; o < orders; o++) difference.push((census[o] ?? 0) - (buddy[o] ?? 0));
  return { freeBlocks: [...buddy], agrees: difference.every((d) => d === 0), difference };
}

export function buildCensusDocument(input: CensusReportInput): CensusDocument {
  const { result, cost, sizes } = input;
  const kinds = {} as Record<CensusKind, CensusDocument["kinds"][CensusKind]>;
  for (const k of CENSUS_KINDS) {
    const c = result.kinds[k];
    kinds[k] = {
      pages: c.pages,
      allocations: c.allocations,
      memdesc: CENSUS_KIND_INFO[k].memdesc,
      ...c.sub,
      ...(c.mappedPages !== null && CENSUS_KIND_INFO[k].mappable ? { mappedPages: c.mappedPages } : {}),
      ...(c.mappings !== null && CENSUS_KIND_INFO[k].mappable ? { mappings: c.mappings } : {}),
    };
  }
  const memmap = {} as CensusDocument["memmap"];
  for (const s of STAGES) {
    const c = cost.stages[s];
    memmap[s] = {
      bytesPerPage: c.bytesPerPage,
      memmapBytes: c.memmapBytes,
      descriptorBytes: c.descriptorBytes,
      totalBytes: c.totalBytes,
      percentOfRam: c.percentOfRam,
    };
  }
  return {
    format: "memdesc-census",
    version: 1,
    source: { ...input.source },
    kernel: {
      release: input.kernel.release,
      version: formatKernel(kernelSeries(input.kernel.version)),
      semantics: result.semantics,
      chosenBy: input.kernel.chosenBy,
      tailsTakeHeadKind: result.tailsTakeHeadKind,
    },
    pfns: result.pfns,
    pageSize: result.pageSize,
    ramBytes: cost.ramBytes,
    kinds,
    orphanTails: result.orphanTails,
    freeBlocks: result.freeBlocks.slice(0, CENSUS_MAX_ORDER + 1),
    buddyinfo: input.buddyinfo ? agreement(result.freeBlocks, input.buddyinfo) : null,
    summary: result.summary.map((r) => ({
      flags: r.flags,
      pages: r.pages,
      mb: r.mb,
      symbolic: r.symbolic,
      names: r.names,
    })),
    descriptorSizes: { ...sizes },
    descriptors: cost.descriptors.map((d) => ({ ...d })),
    unnamedAllocations: cost.unnamedAllocations,
    memmap,
    assumptions: assumptions(input),
  };
}
