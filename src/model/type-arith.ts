/**
 * Type-level arithmetic over small non-negative integer literals (struct
 * offsets, bit numbers: up to a few hundred). The one home of these helpers:
 * the layout static_asserts (layouts/matches.ts) and the page_type owner
 * fields (src/sim/kernel/owner-fields.ts) both use them. A non-literal
 * (`number`) yields `never`, so a check over it says nothing rather than
 * something false.
 */

/** A tuple of N zeros. */
export type Tuple<N extends number, Acc extends readonly 0[] = []> = number extends N
  ? never
  : Acc["length"] extends N
    ? Acc
    : Tuple<N, [...Acc, 0]>;

/** A + B. */
export type Add<A extends number, B extends number> = [...Tuple<A>, ...Tuple<B>]["length"] & number;

/** N × M. */
export type Times<
  N extends number,
  M extends number,
  Acc extends number = 0,
  I extends readonly 0[] = [],
> = number extends N ? never : I["length"] extends N ? Acc : Times<N, M, Add<Acc, M>, [...I, 0]>;

/** A <= B. */
export type LessOrEqual<A extends number, B extends number> =
  Tuple<B> extends readonly [...Tuple<A>, ...0[]] ? true : false;

/** N is a multiple of M (M > 0). */
export type MultipleOf<N extends number, M extends number> = N extends 0
  ? true
  : Tuple<N> extends readonly [...Tuple<M>, ...infer Rest extends 0[]]
    ? MultipleOf<Rest["length"], M>
    : false;

/** The numbers 0 … N-1, as a union. */
export type Below<N extends number, Acc extends number[] = []> = Acc["length"] extends N
  ? Acc[number]
  : Below<N, [...Acc, Acc["length"]]>;

/** A tuple of N elements, for the bit-range sums (no `number` guard: callers rule it out first). */
type Elements<N extends number, Acc extends unknown[] = []> = Acc["length"] extends N
  ? Acc
  : Elements<N, [...Acc, unknown]>;

/** The bit numbers [shift, shift + width). */
export type BitRange<Shift extends number, Width extends number> = Exclude<
  Below<[...Elements<Shift>, ...Elements<Width>]["length"] & number>,
  Below<Shift>
>;

/** The bit numbers of a 32-bit word, in order. */
type Bits32 = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  17,
  18,
  19,
  20,
  21,
  22,
  23,
  24,
  25,
  26,
  27,
  28,
  29,
  30,
  31,
];

/** The lowest bit number in the union U (bits 0–31). */
export type MinBit<U, L extends number[] = Bits32> = L extends [
  infer H extends number,
  ...infer R extends number[],
]
  ? H extends U
    ? H
    : MinBit<U, R>
  : never;

/** The highest bit number in the union U (bits 0–31). */
export type MaxBit<U, L extends number[] = Bits32> = L extends [
  ...infer R extends number[],
  infer T extends number,
]
  ? T extends U
    ? T
    : MaxBit<U, R>
  : never;

/** "lo–hi" of a union of bit numbers, as the MD005 sentences print it. */
export type BitSpan<U> = `${MinBit<U> & number}–${MaxBit<U> & number}`;
