/**
 * The small /proc texts a census or a snapshot records next to kpageflags:
 * /proc/buddyinfo (free blocks per zone and order, mm/vmstat.c frag_show_print:
 * "Node %d, zone %8s" then "%6lu " per order), /proc/meminfo and the auxv
 * page size. Parsed at the edge; a malformed text is reported, not guessed.
 */
import { inputError } from "../model/index.js";

export interface BuddyZone {
  readonly node: number;
  readonly zone: string;
  readonly free: readonly number[];
}

/** Parse /proc/buddyinfo. Every line must be `Node N, zone NAME c0 c1 …`. */
export function parseBuddyinfo(text: string, label = "buddyinfo"): BuddyZone[] {
  const zones: BuddyZone[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const m = /^Node\s+(\d+),\s+zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
    if (!m) inputError(`${label}: unexpected line '${line.trim()}' (expected 'Node N, zone NAME counts…')`);
    zones.push({
      node: Number(m[1]),
      zone: m[2]!,
      free: m[3]!
        .trim()
        .split(/\s+/)
        .map((n) => Number(n)),
    });
  }
  if (zones.length === 0) inputError(`${label}: no zones`);
  return zones;
}

/** Free blocks per order summed over all zones, padded to `orders` entries. */
export function buddyinfoTotals(zones: readonly BuddyZone[], orders: number): number[] {
  const out = new Array<number>(orders).fill(0);
  for (const z of zones) {
    z.free.forEach((n, o) => {
      out[o] = (out[o] ?? 0) + n;
    });
  }
  return out;
}

/** `MemTotal` of /proc/meminfo in bytes, or null. */
export function memTotalBytes(meminfo: string): number | null {
  const m = /^MemTotal:\s+(\d+)\s+kB\s*$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : null;
}

/** AT_PAGESZ from an auxv image (pairs of native u64: type, value; AT_PAGESZ = 6), or null. */
export function pageSizeFromAuxv(auxv: Uint8Array): number | null {
  const view = new DataView(auxv.buffer, auxv.byteOffset, auxv.byteLength);
  for (let off = 0; off + 16 <= auxv.byteLength; off += 16) {
    const type = view.getBigUint64(off, true);
    if (type === 0n) break;
    if (type === 6n) return Number(view.getBigUint64(off + 8, true));
  }
  return null;
}
