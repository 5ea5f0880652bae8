/**
 * Where census data comes from: the live /proc files (under a root that tests
 * can move with MEMDESC_PROC, so the fallback to the shipped sample can be
 * exercised as root), or a snapshot directory written by `memdesc snapshot`
 * (read by snapshot-dir.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pageSizeFromAuxv } from "./procfs.js";
import { readTextOrNull } from "./read.js";

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

// loadSnapshot validates meta.json with zod and lives in snapshot-dir.ts, so a live census (which
// reads only /proc) never loads zod: its load time counts against the census's wall time.
export type { LoadedSnapshot } from "./snapshot-dir.js";
