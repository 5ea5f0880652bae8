/**
 * Kernel versions, as far as the model cares: the tables that change between
 * releases (page_type encodings, KPF bits) are keyed by `major.minor`.
 *
 * The newest tree the model follows is the linux-mm/linux-mm mirror, whose
 * Makefile (commit 010b243a4ffc) says VERSION 7, PATCHLEVEL 3, -rc5.
 */
import { inputError } from "./errors.js";

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** The newest kernel the tables describe (linux-mm/linux-mm, 7.3-rc5). */
export const NEWEST_KERNEL: KernelVersion = { major: 7, minor: 3 };
/** The oldest kernel the tables describe (the 6.6 LTS). */
export const OLDEST_KERNEL: KernelVersion = { major: 6, minor: 6 };

export function compareKernel(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatKernel(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}

/**
 * Parse a kernel version as `uname -r` prints it (`6.12.0-31-generic`,
 * `7.3.0-rc5`) or as a user writes it (`6.12`). Versions outside the range
 * the tables cover are rejected rather than silently mapped to a neighbour.
 */
export function parseKernel(text: string): KernelVersion {
  const m = /^\s*(\d+)\.(\d+)(?:[.\-+~_].*)?\s*$/.exec(text);
  if (!m)
    inputError(`kernel version '${text}' is not of the form MAJOR.MINOR (e.g. 6.12 or 6.12.0-31-generic)`);
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  if (compareKernel(v, OLDEST_KERNEL) < 0 || compareKernel(v, NEWEST_KERNEL) > 0) {
    inputError(
      `kernel version '${text}' is outside the range memdesc describes (${formatKernel(OLDEST_KERNEL)} to ${formatKernel(NEWEST_KERNEL)})`,
    );
  }
  return v;
}

/** True when `v` is at least `major.minor`. */
export function kernelAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return compareKernel(v, { major, minor }) >= 0;
}
