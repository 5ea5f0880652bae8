/**
 * Kernel versions, as far as the model cares: the tables that change between
 * releases (page_type encodings, page flags, KPF bits) are keyed by
 * `major.minor`, and where a change was backported to a stable series (the
 * hugetlb page type, in 6.6.30 and 6.8.9), by the stable release too.
 *
 * The newest tree the model follows is the linux-mm/linux-mm mirror, whose
 * Makefile (commit 010b243a4ffc) says VERSION 7, PATCHLEVEL 3, -rc5.
 *
 * This is the one parser of kernel versions: `--kernel` (decode, census, the
 * machine), the release a census snapshot records and `uname -r` all go
 * through `parseKernelText`.
 */
import { inputError } from "./errors.js";

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  /**
   * The stable release (`6.6.30` → 30). Absent: the `major.minor` release
   * itself, which is what a table means by `6.6` (6.6.0).
   */
  readonly patch?: number;
}

/** The newest kernel the tables describe (linux-mm/linux-mm, 7.3-rc5). */
export const NEWEST_KERNEL: KernelVersion = { major: 7, minor: 3 };
/** The oldest kernel the tables describe (the 6.6 LTS). */
export const OLDEST_KERNEL: KernelVersion = { major: 6, minor: 6 };

/** Orders versions; a missing patch counts as 0 (6.6 is 6.6.0). */
export function compareKernel(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

/**
 * Whether `v` lies in [from, to]. `to` without a patch covers every stable
 * release of that series (an era "to 6.8" includes 6.8.12); `to` with one
 * ends at that release.
 */
export function kernelInRange(v: KernelVersion, from: KernelVersion, to: KernelVersion): boolean {
  if (compareKernel(v, from) < 0) return false;
  if (to.patch === undefined) return v.major < to.major || (v.major === to.major && v.minor <= to.minor);
  return compareKernel(v, to) <= 0;
}

export function formatKernel(v: KernelVersion): string {
  return v.patch === undefined ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

/**
 * The version grammar, without the range check: `MAJOR.MINOR` (`6.12`), a
 * stable release `MAJOR.MINOR.PATCH` (`6.6.30`), or what `uname -r` prints,
 * a stable release followed by a local suffix (`6.18.44-foo`,
 * `6.12.0-31-generic`, `7.3.0-rc5`, `6.12.0+`). Anything else is null.
 */
export function parseKernelText(text: string): KernelVersion | null {
  const m = /^\s*(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4})(?:[-+~_][\w.+~-]*)?)?\s*$/.exec(text);
  if (!m) return null;
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  return m[3] === undefined ? v : { ...v, patch: Number(m[3]) };
}

/**
 * Parse a kernel version given by the user (`--kernel`). Versions outside
 * the range the tables cover are rejected rather than silently mapped to a
 * neighbour.
 */
export function parseKernel(text: string): KernelVersion {
  const v = parseKernelText(text);
  if (!v)
    inputError(
      `kernel version '${text}' is not of the form MAJOR.MINOR, MAJOR.MINOR.PATCH or a uname -r release (e.g. 6.12, 6.6.30 or 6.12.0-31-generic)`,
    );
  if (compareKernel(v, OLDEST_KERNEL) < 0 || !kernelInRange(v, OLDEST_KERNEL, NEWEST_KERNEL)) {
    inputError(
      `kernel version '${text}' is outside the range memdesc describes (${formatKernel(OLDEST_KERNEL)} to ${formatKernel(NEWEST_KERNEL)})`,
    );
  }
  return v;
}

/** How a kernel release that the user did not choose (a snapshot's, the running kernel's) maps to a table era. */
export interface ReleaseKernel {
  readonly version: KernelVersion;
  /**
   * null: the release is a supported version. "not-a-version": the release
   * does not parse, the newest kernel is used. "older"/"newer": outside the
   * covered range, the nearest end is used.
   */
  readonly fallback: null | "not-a-version" | "older" | "newer";
}

/**
 * The version of a recorded release (`uname -r` of a live machine or a
 * snapshot). Unlike `parseKernel` this never fails: the caller says aloud
 * which fallback it took.
 */
export function kernelFromRelease(release: string): ReleaseKernel {
  const v = parseKernelText(release);
  if (!v) return { version: NEWEST_KERNEL, fallback: "not-a-version" };
  if (compareKernel(v, OLDEST_KERNEL) < 0) return { version: OLDEST_KERNEL, fallback: "older" };
  if (!kernelInRange(v, OLDEST_KERNEL, NEWEST_KERNEL)) return { version: NEWEST_KERNEL, fallback: "newer" };
  return { version: v, fallback: null };
}

/** True when `v` is at least `major.minor` (any stable release of it). */
export function kernelAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return compareKernel(v, { major, minor }) >= 0;
}

/** The `major.minor` series of a version (tables keyed by series only, such as the KPF semantics). */
export function kernelSeries(v: KernelVersion): KernelVersion {
  return { major: v.major, minor: v.minor };
}
