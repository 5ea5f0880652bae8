/**
 * Where census data comes from: the live /proc files (under a root that tests
 * can move with MEMDESC_PROC, so the fallback to the shipped sample can be
 * exercised as root), or a snapshot directory written by `memdesc snapshot`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { inputError } from "../model/index.js";
import { pageSizeFromAuxv } from "./procfs.js";
import { readTextOrNull } from "./read.js";
import { SnapshotMeta } from "./schema.js";

/**
 * The /proc to read live data from: $MEMDESC_PROC if set (for tests and for
 * reading a copied /proc tree), else /proc.
 */
export function procRoot(): string {
  return process.env.MEMDESC_PROC || "/proc";
}

export const procPath = (name: string) => join(procRoot(), name);

/** `uname -r` as /proc/sys/kernel/osrelease tells it, or null. */
export async function liveKernelRelease(): Promise<string | null> {
  return (await readTextOrNull(procPath("sys/kernel/osrelease")))?.trim() || null;
}

/** getpagesize(): AT_PAGESZ from /proc/self/auxv, or null. */
export function livePageSize(): number | null {
  try {
    return pageSizeFromAuxv(readFileSync(procPath("self/auxv")));
  } catch {
    return null;
  }
}

/**
 * An estimate of the live PFN count for a progress bar: the end of the last
 * zone in /proc/zoneinfo (start_pfn + spanned), rounded up to a 128 MiB
 * section of 4 KiB pages as kpageflags' get_max_dump_pfn() does. Null if unknown.
 */
export async function estimateLivePfns(): Promise<number | null> {
  const text = await readTextOrNull(procPath("zoneinfo"));
  if (!text) return null;
  let end = 0;
  for (const zone of text.split(/^Node /m)) {
    const spanned = /^\s+spanned\s+(\d+)/m.exec(zone);
    const start = /^\s+start_pfn:\s+(\d+)/m.exec(zone);
    if (spanned && start) end = Math.max(end, Number(start[1]) + Number(spanned[1]));
  }
  if (end === 0) return null;
  const section = 32768;
  return Math.ceil(end / section) * section;
}

export interface LoadedSnapshot {
  readonly dir: string;
  readonly meta: SnapshotMeta;
  readonly kpageflags: string;
  readonly kpagecount: string | null;
  readonly buddyinfo: string | null;
}

export const SNAPSHOT_META = "meta.json";

/** Read and validate a snapshot directory's meta.json. */
export function loadSnapshot(dir: string): LoadedSnapshot {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    return inputError(`${dir}: no such snapshot directory`);
  }
  if (!st.isDirectory())
    inputError(`${dir}: not a directory (a snapshot is a directory written by memdesc snapshot)`);
  const metaPath = join(dir, SNAPSHOT_META);
  let raw: string;
  try {
    raw = readFileSync(metaPath, "utf8");
  } catch {
    return inputError(`${dir}: not a memdesc snapshot (no ${SNAPSHOT_META})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return inputError(`${metaPath}: not valid JSON`);
  }
  const parsed = SnapshotMeta.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "document";
    if (issue?.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys.map((k) =>
        where === "document" ? k : `${where}.${k}`,
      );
      return inputError(`${metaPath}: unknown field ${keys.join(", ")}`);
    }
    return inputError(`${metaPath}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const meta = parsed.data;
  const file = (name: string | null) => (name === null ? null : join(dir, name));
  const buddyPath = file(meta.files.buddyinfo);
  return {
    dir,
    meta,
    kpageflags: join(dir, meta.files.kpageflags),
    kpagecount: file(meta.files.kpagecount),
    buddyinfo: buddyPath && existsSync(buddyPath) ? readFileSync(buddyPath, "utf8") : null,
  };
}
