/**
 * The 8-byte memdesc word seen from kernel code: the type numbers of the
 * default table as MEMDESC_TYPE_* constants, a word builder whose type
 * argument must be one the table assigns (MD001), and page_memdesc() to read
 * a page's word as the final stage would hold it.
 */

import type { AnyHandle } from "../../model/handles.js";
import type { DefaultMemdescTable, MemdescTypeNumber } from "../../model/memdesc-word.js";
import { DEFAULT_MEMDESC_TABLE, decodeMemdesc, MEMDESC_TYPE_MASK } from "../../model/memdesc-word.js";
import type { Violation } from "./checks.js";
import { pfnOf } from "./objects.js";
import { machine } from "./port.js";

type Entry = DefaultMemdescTable["entries"][number];
/** MEMDESC_TYPE_<NAME> for every type of the default table (wiki source: Misc 0, Buddy 1, File 2, …). */
export type MemdescTypeConstants = {
  readonly [E in Entry as `MEMDESC_TYPE_${Uppercase<E["name"]>}`]: E["type"];
};
export const MEMDESC_TYPE: MemdescTypeConstants = Object.fromEntries(
  DEFAULT_MEMDESC_TABLE.entries.map((e) => [`MEMDESC_TYPE_${e.name.toUpperCase()}`, e.type]),
) as unknown as MemdescTypeConstants;

/** A type number of the default table, or the MD001 sentence. */
export type ValidMemdescType<T extends number> = number extends T
  ? unknown
  : T extends MemdescTypeNumber
    ? unknown
    : Violation<"MD001", "memdesc_word", { type: T; table: DefaultMemdescTable["name"] }>;

/**
 * memdesc_word(type, payload): a memdesc built from a type number and the
 * payload's upper 60 bits (a 16-byte-aligned descriptor address, or inline
 * data shifted left by 4). The type must be assigned (MD001).
 *
 * @c none: memdesc's own encoder of the proposed 8-byte memdesc word (no kernel function yet)
 */
export function memdesc_word<const T extends number>(type: T & ValidMemdescType<T>, payload: bigint): bigint {
  const t = BigInt(type as number);
  const word = (payload & ~MEMDESC_TYPE_MASK) | t;
  decodeMemdesc(word); // run-time form of MD001: throws for an unassigned type or an impossible payload
  return word;
}

/**
 * page_memdesc(page): the page's 8-byte memdesc word in the final-stage world.
 *
 * @c none: memdesc's own reader of the page's memdesc word at the current stage (no kernel function yet)
 */
export function page_memdesc(page: AnyHandle): bigint {
  return machine().memdescWord(pfnOf(page));
}
