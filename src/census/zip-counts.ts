/**
 * kpageflags and kpagecount read side by side: chunk i of /proc/kpagecount
 * covers the page frames of chunk i of /proc/kpageflags (both are one u64 per
 * PFN, fs/proc/page.c), so the census consumes them in lockstep and rejects a
 * pair that does not cover the same frames.
 */
import { MemdescInputError } from "../model/index.js";
import type { WordChunk } from "./read.js";

/** Two chunked readers in lockstep: chunk i of kpagecount covers the PFNs of chunk i of kpageflags. */
export async function* zipCounts(
  flags: AsyncGenerator<WordChunk>,
  counts: AsyncGenerator<WordChunk> | null,
  labels: [string, string],
): AsyncGenerator<[Uint32Array, Uint32Array | undefined]> {
  let f = 0;
  let c = 0;
  try {
    for await (const chunk of flags) {
      f += chunk.halves.length / 2;
      if (!counts) {
        yield [chunk.halves, undefined];
        continue;
      }
      const next = await counts.next();
      const n = next.done ? 0 : next.value.halves.length / 2;
      c += n;
      if (next.done || n !== chunk.halves.length / 2) {
        throw new MemdescInputError(`${labels[1]}: does not cover the same page frames as ${labels[0]}`);
      }
      yield [chunk.halves, next.value.halves];
    }
    if (counts) {
      const extra = await counts.next();
      if (!extra.done) c += extra.value.halves.length / 2;
      if (c !== f) {
        throw new MemdescInputError(`${labels[1]}: has ${c}+ page frames, ${labels[0]} has ${f}`);
      }
    }
  } finally {
    await counts?.return(undefined);
  }
}
