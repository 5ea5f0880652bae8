/**
 * 64-bit words from outside (CLI arguments, JSON, files) and their exact
 * representation. Every word memdesc decodes is a `bigint`: a JS number holds
 * only 53 bits exactly, and a memdesc word, a flags word or a kpageflags word
 * uses all 64. See docs/decisions/0002-64-bit-words.md.
 */
import { inputError } from "./errors.js";

export const U64_MAX = (1n << 64n) - 1n;
export const U32_MAX = 0xffff_ffff;

/**
 * Parse an unsigned 64-bit value written as the kernel prints them: hex
 * (`0x802410028`), decimal, octal (`0o17`) or binary (`0b101`), with optional
 * `_` separators. Anything else — a sign, a fraction, trailing junk, more than
 * 64 bits — is a {@link MemdescInputError} naming the value.
 */
export function parseU64(text: string, what = "value"): bigint {
  const t = text.trim();
  // `_` only between two digits (0x8024_1002_8, 1_000): never first, last, doubled or after the prefix.
  if (
    !/^(0[xX][0-9a-fA-F]+(_[0-9a-fA-F]+)*|0[oO][0-7]+(_[0-7]+)*|0[bB][01]+(_[01]+)*|[0-9]+(_[0-9]+)*)$/.test(
      t,
    )
  ) {
    inputError(`${what} '${text}' is not an unsigned number (write it as 0x…, decimal, 0o… or 0b…)`);
  }
  const s = t.replace(/_/g, "");
  if (!/^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(s)) {
    inputError(`${what} '${text}' is not an unsigned number (write it as 0x…, decimal, 0o… or 0b…)`);
  }
  const v = BigInt(s);
  if (v > U64_MAX) inputError(`${what} '${text}' does not fit in 64 bits`);
  return v;
}

/** Parse a value that must fit in 32 bits (a page_type word, for example). */
export function parseU32(text: string, what = "value"): number {
  const v = parseU64(text, what);
  if (v > BigInt(U32_MAX)) inputError(`${what} '${text}' does not fit in 32 bits`);
  return Number(v);
}

/** `0x%016llx`, as page-types and dump_page print a 64-bit word. */
export function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, "0")}`;
}

/** `0x%08x`, for 32-bit words such as page_type. */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, "0")}`;
}

/** Extract `width` bits starting at bit `shift` of a 64-bit word. */
export function bits64(v: bigint, shift: number, width: number): bigint {
  return (v >> BigInt(shift)) & ((1n << BigInt(width)) - 1n);
}

/** The set bit positions of a 64-bit word, lowest first. */
export function setBits64(v: bigint): number[] {
  const out: number[] = [];
  for (let b = 0; b < 64; b++) if ((v >> BigInt(b)) & 1n) out.push(b);
  return out;
}
