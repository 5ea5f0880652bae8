/**
 * `memdesc snapshot -o DIR`: save what a census needs so it can be rerun and
 * checked elsewhere — kpageflags and kpagecount gzip-compressed, the kernel
 * release, page size, date, /proc/buddyinfo (taken right before kpageflags, so
 * the free-block split can be checked against it) and /proc/meminfo.
 *
 * The data streams: kpageflags is read in chunks and compressed as it comes,
 * so memory stays a few chunks whatever the machine's size. The snapshot is
 * built in a temporary directory and renamed into place, so a failed or
 * interrupted capture leaves nothing behind (SIGINT and SIGTERM included).
 * --force replaces only a directory that is itself a memdesc snapshot
 * (decision 0501): never the current directory, a home directory, or a
 * directory holding anything `memdesc snapshot` does not write.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { arch, endianness, homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { createGzip } from "node:zlib";
import type { Command } from "@commander-js/extra-typings";
import {
  DEFAULT_CHUNK_BYTES,
  readTextOrNull,
  readWords,
  SNAPSHOT_FORMAT,
  type SnapshotMeta,
} from "../census/index.js";
import { SNAPSHOT_META } from "../census/snapshot-meta.js";
import { liveKernelRelease, livePageSize, procPath } from "../census/source.js";
import { MemdescInputError } from "../model/index.js";
import { holdTemporary, OutputError, outputError, writeAll } from "./io.js";
import { UsageError } from "./run.js";

export interface SnapshotCliOptions {
  output: string;
  force?: boolean;
  note?: string;
}

/** Every name `memdesc snapshot` writes into its directory. */
export const SNAPSHOT_FILES = ["kpageflags.gz", "kpagecount.gz", "buddyinfo", "meminfo", SNAPSHOT_META];

/** Whether `dir` holds only what `memdesc snapshot` writes, with a meta.json carrying the format marker. */
function snapshotProblem(dir: string, entries: string[]): string | null {
  for (const name of entries) {
    if (!SNAPSHOT_FILES.includes(name)) return `it contains ${name}, which memdesc snapshot does not write`;
    if (!lstatSync(join(dir, name)).isFile()) return `its ${name} is not a regular file`;
  }
  if (!entries.includes(SNAPSHOT_META)) return `it has no ${SNAPSHOT_META}`;
  try {
    const meta = JSON.parse(readFileSync(join(dir, SNAPSHOT_META), "utf8")) as { format?: unknown };
    if (meta?.format !== SNAPSHOT_FORMAT) return `its ${SNAPSHOT_META} has no "format": "${SNAPSHOT_FORMAT}"`;
  } catch {
    return `its ${SNAPSHOT_META} is not valid JSON`;
  }
  return null;
}

/**
 * Check the output directory before anything is read or written; returns its
 * absolute path. Refuses everything --force must not replace.
 */
export function checkSnapshotTarget(given: string, force: boolean): string {
  if (given === "") throw new UsageError("-o: empty path (give the snapshot directory to create)");
  const dir = resolve(given);
  const cwd = process.cwd();
  if (dir === cwd || `${cwd}${sep}`.startsWith(`${dir === sep ? "" : dir}${sep}`)) {
    throw new UsageError(`${given}: is the current directory or one above it; give a new directory`);
  }
  if (dir === resolve(homedir()))
    throw new UsageError(`${given}: is the home directory; give a new directory`);
  let st: ReturnType<typeof lstatSync> | undefined;
  try {
    st = lstatSync(dir);
  } catch {
    st = undefined;
  }
  if (!st) {
    let parent: ReturnType<typeof statSync> | undefined;
    try {
      parent = statSync(dirname(dir));
    } catch {
      parent = undefined;
    }
    if (!parent?.isDirectory()) throw new UsageError(`${given}: directory ${dirname(dir)} does not exist`);
    return dir;
  }
  if (st.isSymbolicLink()) throw new UsageError(`${given}: is a symbolic link; give the directory itself`);
  if (!st.isDirectory()) throw new UsageError(`${given}: exists and is not a directory`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return dir;
  if (!force) {
    throw new UsageError(`${given}: already exists and is not empty (pass --force to replace a snapshot)`);
  }
  const problem = snapshotProblem(dir, entries);
  if (problem) {
    throw new UsageError(
      `${given}: is not a memdesc snapshot (${problem}); --force replaces only a snapshot, nothing else`,
    );
  }
  return dir;
}

/** A file being written in the temporary snapshot directory: every write checked, errors named by the user's path. */
class SnapshotFile {
  private fd: number;
  bytes = 0;
  constructor(
    readonly path: string,
    readonly label: string,
  ) {
    try {
      this.fd = openSync(path, "wx", 0o644);
    } catch (err) {
      outputError(label, err);
    }
  }
  write(data: Uint8Array): void {
    try {
      writeAll(this.fd, data);
    } catch (err) {
      outputError(this.label, err);
    }
    this.bytes += data.length;
  }
  close(): void {
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch (err) {
      outputError(this.label, err);
    }
  }
}

/**
 * Stream a kpageflags-shaped file through gzip into `out`; returns the number
 * of page frames. Each chunk is compressed before the reader may reuse its buffer.
 */
async function streamGzip(
  source: string,
  out: SnapshotFile,
  buffers?: readonly [Uint8Array, Uint8Array],
): Promise<number> {
  const gz = createGzip({ level: 9 });
  let failure: unknown = null;
  gz.on("data", (piece: Buffer) => {
    if (failure) return;
    try {
      out.write(piece);
    } catch (err) {
      failure = err;
    }
  });
  gz.on("error", (err) => {
    failure ??= err;
  });
  let bytes = 0;
  try {
    for await (const chunk of readWords(source, buffers ? { buffers } : {})) {
      const view = new Uint8Array(chunk.halves.buffer, chunk.halves.byteOffset, chunk.halves.byteLength);
      await new Promise<void>((done) => gz.write(view, () => done()));
      if (failure) throw failure;
      bytes += view.length;
    }
    await new Promise<void>((done) => gz.end(() => done()));
    if (!gz.readableEnded) await new Promise<void>((done) => gz.once("end", () => done()));
    if (failure) throw failure;
  } finally {
    gz.destroy();
  }
  return bytes / 8;
}

export async function runSnapshot(opts: SnapshotCliOptions): Promise<string> {
  const dir = checkSnapshotTarget(opts.output, opts.force === true);

  const release = await liveKernelRelease();
  if (!release)
    throw new MemdescInputError(`cannot read ${procPath("sys/kernel/osrelease")}: not a Linux /proc`);
  const pageSize = livePageSize();
  if (!pageSize) throw new MemdescInputError(`cannot read the page size from ${procPath("self/auxv")}`);
  const date = new Date().toISOString();

  const tmp = mkdtempSync(join(dirname(dir), `.${basename(dir)}.`));
  const release_ = holdTemporary(tmp);
  try {
    // buddyinfo first, then kpageflags at once, into buffers allocated and
    // touched beforehand: faulting in memory during the read would take free
    // blocks out of the very buddy lists the snapshot records.
    const buffers: [Uint8Array, Uint8Array] = [
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
      new Uint8Array(DEFAULT_CHUNK_BYTES).fill(0xff),
    ];
    const flagsOut = new SnapshotFile(join(tmp, "kpageflags.gz"), `${opts.output}/kpageflags.gz`);
    const buddyinfo = await readTextOrNull(procPath("buddyinfo"));
    let pfns: number;
    try {
      pfns = await streamGzip(procPath("kpageflags"), flagsOut, buffers);
    } catch (err) {
      if (err instanceof MemdescInputError && /permission denied/.test(err.message)) {
        throw new MemdescInputError(
          `${err.message} (/proc/kpageflags is readable only by root: run as root)`,
        );
      }
      throw err;
    }
    flagsOut.close();
    const gzBytes = flagsOut.bytes;

    let counts = false;
    const countsPath = join(tmp, "kpagecount.gz");
    const countsOut = new SnapshotFile(countsPath, `${opts.output}/kpagecount.gz`);
    try {
      const n = await streamGzip(procPath("kpagecount"), countsOut);
      countsOut.close();
      if (n === pfns) counts = true;
      else {
        // The memmap grew or shrank between the two reads (memory hotplug): keep what matches.
        process.stderr.write(
          "memdesc: kpagecount not saved: it does not cover the same page frames as kpageflags\n",
        );
      }
    } catch (err) {
      if (!(err instanceof MemdescInputError)) throw err;
      countsOut.close();
      process.stderr.write(`memdesc: kpagecount not saved: ${err.message}\n`);
    }
    if (!counts) rmSync(countsPath, { force: true });
    const meminfo = await readTextOrNull(procPath("meminfo"));

    const meta: SnapshotMeta = {
      format: SNAPSHOT_FORMAT,
      version: 1,
      kernelRelease: release,
      pageSize,
      date,
      pfns,
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
    const small = (name: string, text: string) => {
      const f = new SnapshotFile(join(tmp, name), `${opts.output}/${name}`);
      f.write(Buffer.from(text));
      f.close();
    };
    if (buddyinfo !== null) small("buddyinfo", buddyinfo);
    if (meminfo !== null) small("meminfo", meminfo);
    small(SNAPSHOT_META, `${JSON.stringify(meta, null, 2)}\n`);

    try {
      if (readdirSafe(dir) !== null) {
        // Checked again just before the swap: still a snapshot (or empty), or nothing is replaced.
        checkSnapshotTarget(opts.output, opts.force === true);
        const old = `${tmp}.old`;
        renameSync(dir, old);
        renameSync(tmp, dir);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(tmp, dir);
      }
    } catch (err) {
      if (err instanceof UsageError || err instanceof OutputError) throw err;
      outputError(opts.output, err);
    }
    return (
      `saved a snapshot of ${pfns} page frames (kernel ${release}, ${pageSize}-byte pages) to ${opts.output}: ` +
      `kpageflags.gz ${Math.ceil(gzBytes / 1024)} KiB` +
      (counts ? ", kpagecount.gz" : "") +
      (buddyinfo !== null ? ", buddyinfo" : "") +
      (meminfo !== null ? ", meminfo" : "") +
      ", meta.json\n"
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    release_();
  }
}

function readdirSafe(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    return null;
  }
}

export function registerSnapshot(program: Command): void {
  program
    .command("snapshot")
    .summary("save /proc/kpageflags, kpagecount and their context for a census elsewhere")
    .description(
      "Save kpageflags and kpagecount (gzip), the kernel release, page size, date, /proc/buddyinfo and " +
        "/proc/meminfo into DIR, so `memdesc census --snapshot DIR` can be rerun and checked on any machine. " +
        "Needs root. Refuses to replace an existing snapshot unless --force is given; --force replaces only " +
        "a directory that is a memdesc snapshot, never anything else.",
    )
    .requiredOption("-o, --output <DIR>", "directory to create")
    .option("--force", "replace DIR if it is an existing memdesc snapshot")
    .option("--note <TEXT>", "what the machine was doing (recorded in meta.json and shown by census)")
    .action(async (opts) => {
      process.stdout.write(await runSnapshot(opts));
    });
}
