/**
 * `memdesc census`: which memdescs would this machine need, and what would its
 * memmap cost at each stage — from /proc/kpageflags, live or saved.
 * docs/census.md is the manual; the work is in src/census.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "@commander-js/extra-typings";
import {
  buddyinfoTotals,
  buildCensusDocument,
  CENSUS_MAX_ORDER,
  CensusBuilder,
  type CensusDocument,
  type CensusKernelInfo,
  type CensusSourceInfo,
  DEFAULT_CHUNK_BYTES,
  MAX_PFNS,
  memmapCost,
  parseBuddyinfo,
  parseDescriptorSizes,
  readTextOrNull,
  readWords,
  renderCensusSvg,
  renderCensusText,
  STDIN_PATH,
  zipCounts,
} from "../census/index.js";
import { SNAPSHOT_META } from "../census/snapshot-meta.js";
import {
  estimateLivePfns,
  type LoadedSnapshot,
  liveKernelRelease,
  livePageSize,
  procPath,
} from "../census/source.js";
import {
  formatKernel,
  type KernelVersion,
  kernelFromRelease,
  kpfSemanticsFor,
  MemdescInputError,
  NEWEST_KERNEL,
  OLDEST_KERNEL,
  parseKernel,
} from "../model/index.js";
import { palette } from "./color.js";
import { outputTarget, writeOutput } from "./io.js";
import type { SingleBar } from "./progress.js";
import { UsageError } from "./run.js";

/** The sample snapshot shipped in the package: samples/census next to src/ and dist/. */
export const SAMPLE_DIR = fileURLToPath(new URL("../../samples/census/", import.meta.url));

export interface CensusCliOptions {
  kpageflags?: string;
  kpagecount?: string;
  snapshot?: string;
  kernel?: string;
  descriptor?: string[] | undefined;
  pageSize?: string;
  json?: boolean;
  svg?: string;
  summary?: boolean;
  maxPfns?: string;
}

/**
 * A snapshot's meta.json is validated with zod: its loader is imported only when a snapshot (or the
 * sample) is read, so a live census never loads zod (its load time counts against the census).
 */
async function loadSnapshot(dir: string): Promise<LoadedSnapshot> {
  return (await import("../census/snapshot-dir.js")).loadSnapshot(dir);
}

const note = (line: string) => process.stderr.write(`memdesc: ${line}\n`);

/** A kernel release that does not come from --kernel: out-of-range ones take the nearest era, said aloud. */
function kernelOfRelease(release: string, what: string): KernelVersion {
  const { version, fallback } = kernelFromRelease(release);
  if (fallback === "not-a-version") {
    note(
      `${what} '${release}' is not a kernel version; using ${formatKernel(version)} semantics (pass --kernel)`,
    );
  } else if (fallback) {
    note(
      `${what} ${release} is outside ${formatKernel(OLDEST_KERNEL)}–${formatKernel(NEWEST_KERNEL)}; ` +
        `using the kpageflags semantics of ${formatKernel(version)} (pass --kernel to choose)`,
    );
  }
  return version;
}

function parseMaxPfns(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > MAX_PFNS) {
    throw new UsageError(`--max-pfns '${text}' is not a whole number from 1 to 2^40`);
  }
  return Number(text);
}

function parsePageSize(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--page-size '${text}' is not a number of bytes`);
  const n = Number(text);
  if (n < 512 || n > 1 << 20 || (n & (n - 1)) !== 0) {
    throw new UsageError(`--page-size '${text}' is not a power of two between 512 and 1 MiB`);
  }
  return n;
}

interface Plan {
  source: CensusSourceInfo;
  kpageflags: string;
  kpagecount: string | null;
  byteOrder: "little" | "big" | undefined;
  release: string | null;
  releaseFrom: "running kernel" | "snapshot" | null;
  pageSize: number | null;
  buddyinfoText: string | null;
  live: boolean;
  /** The snapshot's meta.json pfns: kpageflags (and kpagecount) must hold exactly this many words. */
  expectedPfns?: number;
  metaPath?: string;
}

function planFromSnapshot(snap: LoadedSnapshot, kind: "snapshot" | "sample", kpageflagsLabel?: string): Plan {
  return {
    source: {
      kind,
      kpageflags: kpageflagsLabel ?? snap.kpageflags,
      kpagecount: snap.kpagecount,
      captured: snap.meta.date,
      note: snap.meta.note,
    },
    kpageflags: snap.kpageflags,
    kpagecount: snap.kpagecount,
    byteOrder: snap.meta.byteOrder,
    release: snap.meta.kernelRelease,
    releaseFrom: "snapshot",
    pageSize: snap.meta.pageSize,
    buddyinfoText: snap.buddyinfo,
    live: false,
    expectedPfns: snap.meta.pfns,
    metaPath: join(snap.dir, SNAPSHOT_META),
  };
}

/** Whether the live kpageflags can be read; the reason if not. */
async function liveUnreadable(path: string): Promise<string | null> {
  if (process.platform !== "linux" && !process.env.MEMDESC_PROC)
    return `this is ${process.platform}, not Linux`;
  try {
    const it = readWords(path, { chunkBytes: 8, label: path });
    await it.next();
    await it.return(undefined);
    return null;
  } catch (err) {
    if (err instanceof MemdescInputError) {
      const reason = err.message.startsWith(`${path}: `) ? err.message.slice(path.length + 2) : err.message;
      return reason === "permission denied" ? "permission denied (it is readable only by root)" : reason;
    }
    throw err;
  }
}

async function plan(opts: CensusCliOptions): Promise<Plan> {
  if (opts.snapshot !== undefined) return planFromSnapshot(await loadSnapshot(opts.snapshot), "snapshot");
  if (opts.kpageflags !== undefined) {
    // A kpageflags file inside a snapshot directory brings its metadata along.
    const dir = dirname(opts.kpageflags);
    if (opts.kpageflags !== STDIN_PATH && existsSync(join(dir, SNAPSHOT_META))) {
      const snap = await loadSnapshot(dir);
      if (resolve(snap.kpageflags) === resolve(opts.kpageflags)) {
        const p = planFromSnapshot(snap, "snapshot", opts.kpageflags);
        if (opts.kpagecount) {
          p.kpagecount = opts.kpagecount;
          p.source = { ...p.source, kpagecount: opts.kpagecount };
        }
        return p;
      }
    }
    return {
      source: {
        kind: "file",
        kpageflags: opts.kpageflags,
        kpagecount: opts.kpagecount ?? null,
        captured: null,
        note: null,
      },
      kpageflags: opts.kpageflags,
      kpagecount: opts.kpagecount ?? null,
      byteOrder: undefined,
      release: null,
      releaseFrom: null,
      pageSize: null,
      buddyinfoText: null,
      live: false,
    };
  }
  const live = procPath("kpageflags");
  const why = await liveUnreadable(live);
  if (why !== null) {
    note(`cannot read ${live}: ${why}; analysing the sample snapshot shipped with memdesc instead`);
    const sample = await loadSnapshot(SAMPLE_DIR);
    const p = planFromSnapshot(sample, "sample", `samples/census/${basename(sample.kpageflags)}`);
    p.source = {
      ...p.source,
      kpagecount: sample.kpagecount === null ? null : `samples/census/${basename(sample.kpagecount)}`,
    };
    return p;
  }
  return {
    source: {
      kind: "live",
      kpageflags: live,
      kpagecount: opts.kpagecount ?? null,
      captured: new Date().toISOString(),
      note: null,
    },
    kpageflags: live,
    kpagecount: opts.kpagecount ?? null,
    byteOrder: undefined,
    release: await liveKernelRelease(),
    releaseFrom: "running kernel",
    pageSize: livePageSize(),
    buddyinfoText: null,
    live: true,
  };
}

/** Run a census as the CLI does and return the document (used by `census` and tests). */
export async function runCensus(opts: CensusCliOptions): Promise<{
  doc: CensusDocument;
  text: () => string;
  svg: () => string;
}> {
  for (const [flag, value] of [
    ["--snapshot", opts.snapshot],
    ["--kpageflags", opts.kpageflags],
    ["--kpagecount", opts.kpagecount],
    ["--kernel", opts.kernel],
    ["--page-size", opts.pageSize],
  ] as const) {
    if (value !== undefined && value.trim() === "") throw new UsageError(`${flag}: empty value`);
  }
  if (opts.kpageflags === STDIN_PATH && opts.kpagecount === STDIN_PATH) {
    throw new UsageError(
      "conflicting options: --kpageflags - and --kpagecount - cannot both read standard input",
    );
  }
  if (opts.snapshot === STDIN_PATH)
    throw new UsageError("--snapshot -: a snapshot is a directory, not a stream");
  if (opts.snapshot !== undefined && (opts.kpageflags !== undefined || opts.kpagecount !== undefined)) {
    throw new UsageError("conflicting options: --snapshot DIR reads its own kpageflags and kpagecount");
  }
  if (opts.kpagecount !== undefined && opts.kpageflags === undefined && opts.snapshot === undefined) {
    throw new UsageError(
      "conflicting options: --kpagecount FILE needs --kpageflags FILE (a saved kpagecount with live kpageflags mixes two moments)",
    );
  }
  // Everything that can be rejected is rejected before the read.
  const sizes = parseDescriptorSizes(opts.descriptor ?? []);
  const forced = opts.kernel !== undefined ? parseKernel(opts.kernel) : null;
  const forcedPageSize = opts.pageSize !== undefined ? parsePageSize(opts.pageSize) : null;
  const maxPfns = opts.maxPfns !== undefined ? parseMaxPfns(opts.maxPfns) : MAX_PFNS;
  if (opts.svg !== undefined) {
    outputTarget(opts.svg, "--svg");
    if (opts.svg === "-" && opts.json) {
      throw new UsageError("conflicting options: --svg - and --json both want standard output");
    }
  }

  const p = await plan(opts);
  if (forcedPageSize !== null && p.pageSize !== null && forcedPageSize !== p.pageSize) {
    throw new UsageError(
      `conflicting options: --page-size ${forcedPageSize}, but the ${p.live ? "running kernel" : "snapshot"} has ${p.pageSize}-byte pages`,
    );
  }
  let kernel: CensusKernelInfo;
  if (forced) kernel = { release: p.release, version: forced, chosenBy: "--kernel" };
  else if (p.release && p.releaseFrom) {
    kernel = {
      release: p.release,
      version: kernelOfRelease(
        p.release,
        p.releaseFrom === "running kernel" ? "the running kernel" : "the snapshot's kernel",
      ),
      chosenBy: p.releaseFrom,
    };
  } else kernel = { release: null, version: NEWEST_KERNEL, chosenBy: "newest" };

  const pageSize = forcedPageSize ?? p.pageSize ?? 4096;
  const builder = new CensusBuilder({ semantics: kpfSemanticsFor(kernel.version), pageSize });

  // Live: buddyinfo right before the read, with the read buffers already in
  // place, so the two describe the same moment as nearly as one process can.
  let bar: SingleBar | null = null;
  const showProgress = p.live && process.stderr.isTTY === true && !process.env.CI;
  // cli-progress is loaded only for a terminal, and before buddyinfo is read.
  const progress = showProgress ? await import("./progress.js") : null;
  const estimate = showProgress ? await estimateLivePfns() : null;
  let buffers: [Uint8Array, Uint8Array] | undefined;
  if (p.live) {
    buffers = [
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
    ];
    p.buddyinfoText = await readTextOrNull(procPath("buddyinfo"));
  }
  if (progress && estimate) bar = progress.censusProgressBar(estimate);
  try {
    const limit = maxPfns;
    const flags = readWords(p.kpageflags, {
      maxPfns: limit,
      ...(p.byteOrder ? { byteOrder: p.byteOrder } : {}),
      ...(buffers ? { buffers } : {}),
      ...(bar
        ? {
            onProgress: (bytes: number) => {
              const pfns = bytes / 8;
              if (pfns > (bar?.getTotal() ?? 0)) bar?.setTotal(pfns);
              bar?.update(pfns);
            },
          }
        : {}),
    });
    const counts = p.kpagecount
      ? readWords(p.kpagecount, { maxPfns: limit, ...(p.byteOrder ? { byteOrder: p.byteOrder } : {}) })
      : null;
    try {
      for await (const [f, c] of zipCounts(flags, counts, [p.kpageflags, p.kpagecount ?? ""]))
        builder.push(f, c);
    } catch (err) {
      // The builder's own input errors (too many distinct words) do not know the file: name it.
      if (err instanceof MemdescInputError && /^more than \d+ distinct/.test(err.message)) {
        const label = p.kpageflags === STDIN_PATH ? "standard input" : p.source.kpageflags;
        throw new MemdescInputError(`${label}: ${err.message}`);
      }
      throw err;
    }
  } finally {
    bar?.stop();
  }
  const result = builder.finish();
  if (p.expectedPfns !== undefined && result.pfns !== p.expectedPfns) {
    throw new MemdescInputError(
      `${p.metaPath}: pfns is ${p.expectedPfns}, but ${p.source.kpageflags} holds ${result.pfns} page frames`,
    );
  }

  let buddyinfo: number[] | null = null;
  if (p.buddyinfoText) {
    try {
      buddyinfo = buddyinfoTotals(parseBuddyinfo(p.buddyinfoText), CENSUS_MAX_ORDER + 1);
    } catch (err) {
      if (!(err instanceof MemdescInputError)) throw err;
      note(`ignoring buddyinfo: ${err.message}`);
    }
  }
  const cost = memmapCost(result, sizes);
  const doc = buildCensusDocument({
    result,
    cost,
    sizes,
    source: p.source,
    kernel,
    buddyinfo,
    pageSizeAssumed: forcedPageSize === null && p.pageSize === null,
  });
  return {
    doc,
    text: () =>
      renderCensusText(doc, {
        summary: opts.summary === true,
        summaryRows: result.summary,
        color: palette().isColorSupported,
      }),
    svg: () => renderCensusSvg(doc, result.map),
  };
}

export function registerCensus(program: Command): void {
  program
    .command("census")
    .summary("which memdescs this machine needs, and its memmap cost per stage, from /proc/kpageflags")
    .description(
      "Classify every page frame of /proc/kpageflags (live, a saved file or a snapshot directory; raw or gzip) " +
        "into a kind and its memdesc, count allocations and free blocks, and model the memmap cost of each stage " +
        "of the shrink of struct page. Without root (or off Linux) it analyses the sample snapshot shipped with " +
        "memdesc and says so. See docs/census.md.",
    )
    .option(
      "--kpageflags <FILE>",
      "a saved kpageflags (raw or gzip; - or a FIFO is read as a stream) instead of the live /proc/kpageflags",
    )
    .option("--kpagecount <FILE>", "the matching kpagecount, for mapped-page counts")
    .option("--snapshot <DIR>", "a directory written by `memdesc snapshot`")
    .option(
      "--kernel <VERSION>",
      "kpageflags semantics of this kernel (6.6 to 7.3; default: the data's kernel)",
    )
    .option(
      "--descriptor <KIND=BYTES>",
      "descriptor size of a memdesc kind for the final stage (repeatable; a positive multiple of 16)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--page-size <BYTES>", "page size of a kpageflags file saved without metadata (default 4096)")
    .option("--json", "print the census as one JSON document (schema: CensusDocument in memdesc/census)")
    .option(
      "--svg <FILE>",
      "also write a picture of physical memory and the memmap cost per stage (- for standard output, alone)",
    )
    .option("--summary", "append page-types' default summary of the same data to the text report")
    .option(
      "--max-pfns <N>",
      "stop with an error after N page frames (default 2^40, the PFN space of 52-bit physical addresses)",
    )
    .action(async (opts) => {
      const run = await runCensus(opts);
      const out = opts.json ? `${JSON.stringify(run.doc, null, 2)}\n` : run.text();
      if (opts.svg !== undefined) writeOutput(opts.svg, run.svg(), "--svg");
      // With --svg -, standard output carries the picture alone.
      if (opts.svg !== "-") process.stdout.write(out);
    });
}
