/**
 * `memdesc snapshot -o DIR`: save what a census needs so it can be rerun and
 * checked elsewhere — kpageflags and kpagecount gzip-compressed, the kernel
 * release, page size, date, /proc/buddyinfo (taken right before kpageflags, so
 * the free-block split can be checked against it) and /proc/meminfo. The
 * snapshot is built in a temporary directory and renamed into place, so a
 * failed or interrupted capture leaves nothing behind; an existing snapshot is
 * replaced only with --force.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { arch, endianness } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Command } from "@commander-js/extra-typings";
import { readTextOrNull, readWords, SNAPSHOT_FORMAT, type SnapshotMeta } from "../census/index.js";
import {
  estimateLivePfns,
  liveKernelRelease,
  livePageSize,
  procPath,
  SNAPSHOT_META,
} from "../census/source.js";
import { MemdescInputError } from "../model/index.js";
import { writeFileAtomic } from "./io.js";
import { UsageError } from "./run.js";

export interface SnapshotCliOptions {
  output: string;
  force?: boolean;
  note?: string;
}

/**
 * Read /proc/kpageflags into a buffer that was allocated and touched before
 * /proc/buddyinfo was read: faulting in tens of MiB during the read would take
 * free blocks out of the very buddy lists the snapshot records.
 */
function readProcInto(path: string, buf: Buffer): Buffer {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new MemdescInputError(
      `${path}: ${e.code === "EACCES" || e.code === "EPERM" ? "permission denied" : e.code === "ENOENT" ? "no such file or directory" : e.message}`,
    );
  }
  let data = buf;
  let n = 0;
  try {
    for (;;) {
      if (n === data.length) {
        // The estimate was short (memory hotplug since zoneinfo was read): grow.
        const bigger = Buffer.alloc(data.length * 2);
        data.copy(bigger, 0, 0, n);
        data = bigger;
      }
      const r = readSync(fd, data, n, Math.min(8 << 20, data.length - n), n);
      if (r === 0) break;
      n += r;
    }
  } finally {
    closeSync(fd);
  }
  if (n === 0) throw new MemdescInputError(`${path}: is empty (no page frames)`);
  if (n % 8 !== 0) throw new MemdescInputError(`${path}: size ${n} bytes is not a multiple of 8`);
  return data.subarray(0, n);
}

/** Read a whole kpageflags-shaped file into one buffer (raw bytes as the kernel wrote them). */
async function readAll(path: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of readWords(path)) {
    const bytes = new Uint8Array(
      chunk.halves.buffer,
      chunk.halves.byteOffset,
      chunk.halves.byteLength,
    ).slice();
    parts.push(bytes);
    total += bytes.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export async function runSnapshot(opts: SnapshotCliOptions): Promise<string> {
  const dir = resolve(opts.output);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${opts.output}: exists and is not a directory`);
    if (readdirSync(dir).length > 0 && !opts.force) {
      throw new UsageError(`${opts.output}: already exists and is not empty (pass --force to replace it)`);
    }
  } else if (!existsSync(dirname(dir))) {
    throw new UsageError(`${opts.output}: directory ${dirname(dir)} does not exist`);
  }

  const release = await liveKernelRelease();
  if (!release)
    throw new MemdescInputError(`cannot read ${procPath("sys/kernel/osrelease")}: not a Linux /proc`);
  const pageSize = livePageSize();
  if (!pageSize) throw new MemdescInputError(`cannot read the page size from ${procPath("self/auxv")}`);
  const date = new Date().toISOString();

  // buddyinfo first, then kpageflags at once: the free blocks in the one
  // should be the free blocks in the other.
  const estimate = (await estimateLivePfns()) ?? 1 << 20;
  const buf = Buffer.alloc(estimate * 8 + (8 << 20), 0xff);
  const buddyinfo = await readTextOrNull(procPath("buddyinfo"));
  let flags: Uint8Array;
  try {
    flags = readProcInto(procPath("kpageflags"), buf);
  } catch (err) {
    if (err instanceof MemdescInputError && /permission denied/.test(err.message)) {
      throw new MemdescInputError(`${err.message} (/proc/kpageflags is readable only by root: run as root)`);
    }
    throw err;
  }
  let counts: Uint8Array | null = null;
  try {
    counts = await readAll(procPath("kpagecount"));
  } catch (err) {
    if (!(err instanceof MemdescInputError)) throw err;
    process.stderr.write(`memdesc: kpagecount not saved: ${err.message}\n`);
  }
  if (counts && counts.length !== flags.length) {
    // The memmap grew or shrank between the two reads (memory hotplug): keep what matches.
    process.stderr.write(
      "memdesc: kpagecount not saved: it does not cover the same page frames as kpageflags\n",
    );
    counts = null;
  }
  const meminfo = await readTextOrNull(procPath("meminfo"));

  const meta: SnapshotMeta = {
    format: SNAPSHOT_FORMAT,
    version: 1,
    kernelRelease: release,
    pageSize,
    date,
    pfns: flags.length / 8,
    byteOrder: endianness() === "LE" ? "little" : "big",
    arch: arch(),
    files: {
      kpageflags: "kpageflags.gz",
      kpagecount: counts ? "kpagecount.gz" : null,
      buddyinfo: buddyinfo !== null ? "buddyinfo" : null,
      meminfo: meminfo !== null ? "meminfo" : null,
    },
    note: opts.note ?? null,
    tool: "memdesc 0.1.0",
  };

  const tmp = join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    const gzFlags = gzipSync(flags, { level: 9 });
    writeFileAtomic(join(tmp, "kpageflags.gz"), gzFlags);
    if (counts) writeFileAtomic(join(tmp, "kpagecount.gz"), gzipSync(counts, { level: 9 }));
    if (buddyinfo !== null) writeFileAtomic(join(tmp, "buddyinfo"), buddyinfo);
    if (meminfo !== null) writeFileAtomic(join(tmp, "meminfo"), meminfo);
    writeFileAtomic(join(tmp, SNAPSHOT_META), `${JSON.stringify(meta, null, 2)}\n`);
    if (existsSync(dir)) {
      const old = join(dirname(dir), `.${basename(dir)}.${process.pid}.old`);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
    return (
      `saved a snapshot of ${meta.pfns} page frames (kernel ${release}, ${pageSize}-byte pages) to ${opts.output}: ` +
      `kpageflags.gz ${Math.ceil(gzFlags.length / 1024)} KiB` +
      (counts ? ", kpagecount.gz" : "") +
      (buddyinfo !== null ? ", buddyinfo" : "") +
      (meminfo !== null ? ", meminfo" : "") +
      ", meta.json\n"
    );
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function registerSnapshot(program: Command): void {
  program
    .command("snapshot")
    .summary("save /proc/kpageflags, kpagecount and their context for a census elsewhere")
    .description(
      "Save kpageflags and kpagecount (gzip), the kernel release, page size, date, /proc/buddyinfo and " +
        "/proc/meminfo into DIR, so `memdesc census --snapshot DIR` can be rerun and checked on any machine. " +
        "Needs root. Refuses to replace an existing snapshot unless --force is given.",
    )
    .requiredOption("-o, --output <DIR>", "directory to create")
    .option("--force", "replace DIR if it exists")
    .option("--note <TEXT>", "what the machine was doing (recorded in meta.json and shown by census)")
    .action(async (opts) => {
      process.stdout.write(await runSnapshot(opts));
    });
}
