/**
 * Fuzz (fast-check) over the census reader and the number parsers (issue 12):
 * every input, random or a corrupted real one, ends in a result or a
 * MemdescInputError (the CLI's exit 2 with one line) — never another
 * exception, a hang or a partial result. The CLI itself is run on a few
 * corrupted files too: exit 0 or 2, at most one line on stderr, no stack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { CensusBuilder, readWords } from "../../src/census/index.js";
import { kpfSemanticsFor, MemdescInputError, NEWEST_KERNEL, parseKernel } from "../../src/model/index.js";
import { parseU32, parseU64 } from "../../src/model/word.js";
import { memdesc } from "../cli/spawn.js";

const tmp = mkdtempSync(join(tmpdir(), "memdesc-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sample = readFileSync("samples/census/kpageflags.gz");

/** Census of a file: the page-frame count, or the input error's message. */
async function census(path: string): Promise<number | string> {
  const b = new CensusBuilder({ semantics: kpfSemanticsFor(NEWEST_KERNEL), pageSize: 4096 });
  try {
    for await (const chunk of readWords(path, { chunkBytes: 4096 })) b.push(chunk.halves);
    return b.finish().pfns;
  } catch (err) {
    if (err instanceof MemdescInputError) return err.message;
    throw err;
  }
}

/** A byte string mangled: cut, bytes overwritten, bytes inserted. */
const corrupt = (base: Uint8Array) =>
  fc
    .record({
      cut: fc.nat({ max: base.length }),
      edits: fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 16,
      }),
    })
    .map(({ cut, edits }) => {
      const out = Uint8Array.from(base.subarray(0, Math.max(cut, 1)));
      for (const [at, v] of edits) if (at < out.length) out[at] = v;
      return out;
    });

describe("the census reader never fails but with an input error", () => {
  let n = 0;
  const check = async (bytes: Uint8Array) => {
    const p = join(tmp, `in-${n++}`);
    writeFileSync(p, bytes);
    const r = await census(p);
    if (typeof r === "number") {
      // A result: every word counted, and only when the data had whole words.
      expect(r).toBeGreaterThan(0);
    } else {
      expect(r.split("\n")).toHaveLength(1);
      expect(r.startsWith(p)).toBe(true);
    }
    rmSync(p);
  };
  it("random bytes (raw)", async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), check), { numRuns: 150 });
  });
  it("random bytes that start like gzip", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), (tail) =>
        check(Uint8Array.from([0x1f, 0x8b, ...tail])),
      ),
      { numRuns: 150 },
    );
  });
  it("a corrupted real snapshot (gzip cut and overwritten)", async () => {
    const small = gzipSync(Buffer.from(readWordsSync(sample).subarray(0, 64 * 1024)));
    await fc.assert(fc.asyncProperty(corrupt(small), check), { numRuns: 120 });
  });
});

function readWordsSync(gz: Buffer): Buffer {
  return gunzipSync(gz);
}

describe("number parsers: a value or an input error", () => {
  const parsers: [string, (s: string) => unknown][] = [
    ["parseU64", (s) => parseU64(s)],
    ["parseU32", (s) => parseU32(s)],
    ["parseKernel", (s) => parseKernel(s)],
  ];
  const alphabet = fc.constantFrom(..."0123456789abcdefxXoObB_.-+~ \t".split(""));
  const texts = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: alphabet, maxLength: 30 }));
  it.each(parsers)("%s", (_name, parse) => {
    fc.assert(
      fc.property(texts, (s) => {
        try {
          parse(s);
        } catch (err) {
          expect(err).toBeInstanceOf(MemdescInputError);
          expect((err as Error).message).not.toContain("\n");
        }
      }),
      { numRuns: 2000 },
    );
  });
  it("parseU64 agrees with BigInt on every well-formed value, with or without _ between digits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.boolean(), (v, sep) => {
        const hex = v.toString(16);
        const text = `0x${sep && hex.length > 1 ? `${hex.slice(0, 1)}_${hex.slice(1)}` : hex}`;
        expect(parseU64(text)).toBe(v);
      }),
    );
  });
  it.each(["1_", "_1", "1__0", "0x_1", "0x1_", "_"])("parseU64 refuses %j", (s) => {
    expect(() => parseU64(s)).toThrow(MemdescInputError);
  });
});

describe("the CLI on corrupted files: exit 0 or 2, one line, no partial output", () => {
  it("five corrupted snapshots", () => {
    const gz = gzipSync(readWordsSync(sample).subarray(0, 256 * 1024));
    const cases = fc.sample(corrupt(gz), { numRuns: 5, seed: 12 });
    for (const [i, bytes] of cases.entries()) {
      const p = join(tmp, `cli-${i}`);
      writeFileSync(p, bytes);
      const r = memdesc(["census", "--kpageflags", p, "--json"]);
      expect([0, 2]).toContain(r.code);
      if (r.code === 0) expect(() => JSON.parse(r.stdout)).not.toThrow();
      else {
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "input" } });
      }
    }
  });
});
