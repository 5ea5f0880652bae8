/**
 * `memdesc census`: which memdescs would this machine need, and what would its
 * memmap cost at each stage — from /proc/kpageflags, live or saved.
 * docs/census.md is the manual; the work is in src/census.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "@commander-js/extra-typings";
import { SingleBar } from "cli-progress";
import {
  buddyinfoTotals,
  buildCensusDocument,
  CENSUS_MAX_ORDER,
  CensusBuilder,
  type CensusDocument,
  type CensusKernelInfo,
  type CensusSourceInfo,
  DEFAULT_CHUNK_BYTES,
  memmapCost,
  parseBuddyinfo,
  parseDescriptorSizes,
  readTextOrNull,
  readWords,
  renderCensusSvg,
  renderCensusText,
  zipCounts,
} from "../census/index.js";
import {
  estimateLivePfns,
  type LoadedSnapshot,
  liveKernelRelease,
  livePageSize,
  loadSnapshot,
  procPath,
  SNAPSHOT_META,
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
import { writeFileAtomic } from "./io.js";
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

function parsePageSize(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--page-size '${text}' is not a number of bytes`);
  const n = Number(text);
  if (n < 512 || n > 1 << 20 || (n & (n - 1)) !== 0) {
    throw new UsageError(`--page-size '${text}' is not a power of two between 512 and 1 MiB`);
  }
  return n;
}

function checkOutputPath(path: string, what: string): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`${what} ${path}: is a directory`);
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${what} ${path}: directory ${dir} does not exist`);
  }
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
  if (opts.snapshot) return planFromSnapshot(loadSnapshot(opts.snapshot), "snapshot");
  if (opts.kpageflags) {
    // A kpageflags file inside a snapshot directory brings its metadata along.
    const dir = dirname(opts.kpageflags);
    if (existsSync(join(dir, SNAPSHOT_META))) {
      const snap = loadSnapshot(dir);
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
    const sample = loadSnapshot(SAMPLE_DIR);
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
  if (opts.snapshot && (opts.kpageflags || opts.kpagecount)) {
    throw new UsageError("conflicting options: --snapshot DIR reads its own kpageflags and kpagecount");
  }
  if (opts.kpagecount && !opts.kpageflags && !opts.snapshot) {
    throw new UsageError(
      "conflicting options: --kpagecount FILE needs --kpageflags FILE (a saved kpagecount with live kpageflags mixes two moments)",
    );
  }
  // Everything that can be rejected is rejected before the read.
  const sizes = parseDescriptorSizes(opts.descriptor ?? []);
  const forced = opts.kernel !== undefined ? parseKernel(opts.kernel) : null;
  const forcedPageSize = opts.pageSize !== undefined ? parsePageSize(opts.pageSize) : null;
  if (opts.svg !== undefined) checkOutputPath(opts.svg, "--svg");

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
  const estimate = showProgress ? await estimateLivePfns() : null;
  let buffers: [Uint8Array, Uint8Array] | undefined;
  if (p.live) {
    buffers = [
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
    ];
    p.buddyinfoText = await readTextOrNull(procPath("buddyinfo"));
  }
  if (showProgress && estimate) {
    bar = new SingleBar(
      {
        stream: process.stderr,
        format: "reading /proc/kpageflags [{bar}] {percentage}% | {value}/{total} page frames",
        hideCursor: true,
        clearOnComplete: true,
      },
      { format: "", barCompleteChar: "█", barIncompleteChar: "░" },
    );
    bar.start(estimate, 0);
  }
  try {
    const flags = readWords(p.kpageflags, {
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
      ? readWords(p.kpagecount, p.byteOrder ? { byteOrder: p.byteOrder } : {})
      : null;
    for await (const [f, c] of zipCounts(flags, counts, [p.kpageflags, p.kpagecount ?? ""]))
      builder.push(f, c);
  } finally {
    bar?.stop();
  }
  const result = builder.finish();

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
    text: () => renderCensusText(doc, { summary: opts.summary === true, summaryRows: result.summary }),
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
    .option("--kpageflags <FILE>", "a saved kpageflags (raw or gzip) instead of the live /proc/kpageflags")
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
    .option("--svg <FILE>", "also write a picture of physical memory and the memmap cost per stage")
    .option("--summary", "append page-types' default summary of the same data to the text report")
    .action(async (opts) => {
      const run = await runCensus(opts);
      const out = opts.json ? `${JSON.stringify(run.doc, null, 2)}\n` : run.text();
      if (opts.svg !== undefined) writeFileAtomic(opts.svg, run.svg());
      process.stdout.write(out);
    });
}
