/**
 * The two documents memdesc writes for a census, as zod schemas (one name for
 * the schema and its type): `CensusDocument`, printed by `memdesc census
 * --json`, and `SnapshotMeta`, the meta.json of `memdesc snapshot -o DIR`.
 * Both are validated wherever memdesc reads them back.
 */
import { z } from "zod";
import { MEMDESC_KIND_NAMES, type MemdescKindName, STAGES } from "../model/index.js";
import { CENSUS_KINDS } from "./kinds.js";

const count = z.number().int().nonnegative();

export const SNAPSHOT_FORMAT = "memdesc-snapshot";

/** A file name inside the snapshot directory: no path separator, not `.` or `..` (decision 0503). */
const snapshotFile = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, "must be a file name inside the snapshot directory (no / or ..)");

export const SnapshotMeta = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(1),
    /** `uname -r` of the machine the snapshot was taken on. */
    kernelRelease: z.string().min(1),
    /** getpagesize(): a power of two, at least 4096 (no Linux architecture has smaller pages). */
    pageSize: z
      .number()
      .int()
      .min(4096)
      .max(1 << 30)
      .refine((n) => (n & (n - 1)) === 0, "must be a power of two"),
    /** ISO 8601, when the capture started. */
    date: z.string().min(1),
    /** Page frames in kpageflags (and kpagecount): the file holds exactly pfns × 8 bytes, uncompressed. */
    pfns: count.min(1).max(2 ** 40),
    byteOrder: z.enum(["little", "big"]),
    arch: z.string(),
    /** Files in the snapshot directory; null when they could not be read at capture time. */
    files: z
      .object({
        kpageflags: snapshotFile,
        kpagecount: snapshotFile.nullable(),
        buddyinfo: snapshotFile.nullable(),
        meminfo: snapshotFile.nullable(),
      })
      .strict(),
    /** What the machine was doing (free text given with --note). */
    note: z.string().nullable(),
    tool: z.string(),
  })
  .strict();
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

export const CensusKindEntry = z.object({
  pages: count,
  allocations: count,
  /** The memdesc kind these pages become; null when kpageflags cannot name one. */
  memdesc: z.enum(MEMDESC_KIND_NAMES as [MemdescKindName, ...MemdescKindName[]]).nullable(),
  /** pagetable only: page tables with KPF_REFERENCED (PT_kernel is PG_referenced). */
  kernelPages: count.optional(),
  /** With kpagecount: pages mapped at least once, and the sum of their mapcounts. */
  mappedPages: count.optional(),
  mappings: count.optional(),
});

const StageCostEntry = z.object({
  bytesPerPage: count,
  memmapBytes: count,
  descriptorBytes: count,
  totalBytes: count,
  percentOfRam: z.number().nonnegative(),
});

const kindRecord = Object.fromEntries(CENSUS_KINDS.map((k) => [k, CensusKindEntry])) as {
  [K in (typeof CENSUS_KINDS)[number]]: typeof CensusKindEntry;
};
const stageRecord = Object.fromEntries(STAGES.map((s) => [s, StageCostEntry])) as {
  [S in (typeof STAGES)[number]]: typeof StageCostEntry;
};

export const CensusDocument = z.object({
  format: z.literal("memdesc-census"),
  version: z.literal(1),
  source: z.object({
    /** live /proc, a file, a snapshot directory, or the sample shipped with memdesc. */
    kind: z.enum(["live", "file", "snapshot", "sample"]),
    kpageflags: z.string(),
    kpagecount: z.string().nullable(),
    /** When the data was captured (snapshots record it; live: now). */
    captured: z.string().nullable(),
    note: z.string().nullable(),
  }),
  kernel: z.object({
    /** The release the data came from, if known. */
    release: z.string().nullable(),
    /** The MAJOR.MINOR whose kpageflags semantics were applied. */
    version: z.string(),
    semantics: z.enum(["per-page", "folio-flags", "folio-snapshot"]),
    chosenBy: z.enum(["--kernel", "running kernel", "snapshot", "newest"]),
    tailsTakeHeadKind: z.boolean(),
  }),
  pfns: count,
  pageSize: z.number().int().positive(),
  /** Page frames with a memmap entry (all but KPF_NOPAGE) times the page size. */
  ramBytes: count,
  kinds: z.object(kindRecord),
  /** Compound tails with no head before them; each started an allocation. */
  orphanTails: count,
  /** Free blocks per order 0–10, from runs of KPF_BUDDY pages. */
  freeBlocks: z.array(count).length(11),
  /** /proc/buddyinfo taken with the data, summed over zones, and whether it agrees. */
  buddyinfo: z
    .object({
      freeBlocks: z.array(count),
      agrees: z.boolean(),
      difference: z.array(z.number().int()),
    })
    .nullable(),
  /** page-types' default summary of the same words. */
  summary: z.array(
    z.object({
      flags: z.string().regex(/^0x[0-9a-f]{16}$/),
      pages: count,
      mb: count,
      symbolic: z.string(),
      names: z.string(),
    }),
  ),
  descriptorSizes: z.record(z.string(), count),
  descriptors: z.array(z.object({ kind: z.string(), count, bytesEach: count, bytes: count })),
  /** Allocations of kinds with no memdesc kind (other): no descriptor counted. */
  unnamedAllocations: count,
  memmap: z.object(stageRecord),
  assumptions: z.array(z.string()),
});
export type CensusDocument = z.infer<typeof CensusDocument>;
