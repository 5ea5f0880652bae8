import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CensusBuilder,
  censusOfWords,
  formatPageTypesSummary,
  pageTypesSlotOrder,
  pageTypesSummary,
} from "../../src/census/index.js";
import {
  kpfSemanticsFor,
  PAGE_TYPES_HACKERS_BITS,
  pageTypesLongNames,
  pageTypesSymbolic,
  pageTypesUnknownBits,
  pageTypesWellKnown,
  parseKernel,
} from "../../src/model/index.js";
import { rep, w } from "./hand.js";

const opts = { semantics: kpfSemanticsFor(parseKernel("6.18")), pageSize: 4096 };

describe("page-types' letters and names", () => {
  it("prints one character per named bit: 27 UAPI + 10 kernel + 7 overloaded = 44", () => {
    expect(pageTypesSymbolic(0n)).toBe("_".repeat(44));
    // uptodate (3) and lru (5)
    expect(pageTypesSymbolic(w("UPTODATE", "LRU"))).toBe(`___U_l${"_".repeat(38)}`);
    expect(pageTypesLongNames(w("UPTODATE", "LRU"))).toBe("uptodate,lru");
    // reserved (32) is the 28th character
    expect(pageTypesSymbolic(w("RESERVED")).indexOf("r")).toBe(27);
  });
  it("reports bits page-types cannot name", () => {
    expect(pageTypesUnknownBits(1n << 27n)).toEqual([27]);
    expect(pageTypesUnknownBits(w("ARCH_3"))).toEqual([42]);
    expect(pageTypesUnknownBits(w("LRU", "RESERVED"))).toEqual([]);
  });
});

describe("page-types' well_known_flags()", () => {
  it("hides bits 32–47", () => {
    expect(PAGE_TYPES_HACKERS_BITS).toBe(0xffff00000000n);
    expect(pageTypesWellKnown(w("OWNER_2", "UPTODATE", "LRU"))).toBe(0x28n);
    expect(pageTypesWellKnown(w("RESERVED"))).toBe(0n);
  });
  it("hides compound head and tail unless huge", () => {
    expect(pageTypesWellKnown(w("HEAD", "SLAB"))).toBe(w("SLAB"));
    expect(pageTypesWellKnown(w("TAIL", "ANON", "THP"))).toBe(w("ANON", "THP"));
    expect(pageTypesWellKnown(w("HEAD", "HUGE"))).toBe(w("HEAD", "HUGE"));
  });
});

describe("page-types' summary", () => {
  it("counts well-known values and computes MB as (pages * page_size) >> 20", () => {
    const words = [...rep(w("SLAB"), 300), ...rep(w("HEAD", "SLAB"), 1), ...rep(w("RESERVED"), 255)];
    const rows = censusOfWords(words, opts).summary;
    expect(rows.map((r) => [r.flags, r.pages, r.mb])).toEqual([
      ["0x0000000000000000", 255, 0],
      ["0x0000000000000080", 301, 1],
    ]);
  });
  it("orders rows as page-types' hash table does", () => {
    // 0x1 hashes to slot 1; 0x2001 also hashes to 1 and probes on to 2.
    expect(pageTypesSlotOrder([0x1n, 0x2001n])).toEqual([0x1n, 0x2001n]);
    expect(pageTypesSlotOrder([0x2001n, 0x1n])).toEqual([0x2001n, 0x1n]);
    // 0x2000 hashes to slot 0, which is reserved for flags 0: it probes from 1.
    expect(pageTypesSlotOrder([0x2000n, 0x1n, 0n])).toEqual([0n, 0x2000n, 0x1n]);
    // Row order follows slots, not first appearance: 0x80 (slot 128) after 0x28 (slot 40).
    expect(
      pageTypesSummary(
        [
          [0x80n, 1],
          [0x28n, 2],
        ],
        4096,
      ).map((r) => r.flags),
    ).toEqual(["0x0000000000000028", "0x0000000000000080"]);
  });
  it("prints show_summary()'s format", () => {
    const text = formatPageTypesSummary(pageTypesSummary([[w("UPTODATE", "LRU"), 512]], 4096), 4096);
    expect(text).toBe(
      "             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n" +
        `0x0000000000000028\t       512        2  ___U_l${"_".repeat(38)}\tuptodate,lru\n` +
        "             total\t       512        2\n",
    );
  });
});

function haveCc(): boolean {
  return spawnSync("cc", ["--version"]).status === 0;
}

describe.runIf(haveCc())("against the C reader in bench/ (page-types' summary in C)", () => {
  it.each(["samples/census", "test/fixtures/census/idle-6.18"])("%s: identical summary text", async (dir) => {
    const tmp = mkdtempSync(join(tmpdir(), "memdesc-pt-"));
    try {
      const bin = join(tmp, "reader");
      execFileSync("cc", ["-O2", "-o", bin, "bench/kpageflags-reader.c"]);
      const raw = gunzipSync(readFileSync(join(dir, "kpageflags.gz")));
      const rawPath = join(tmp, "kpageflags");
      writeFileSync(rawPath, raw);
      const expected = execFileSync(bin, ["-s", rawPath], {
        env: { ...process.env, PAGE_SIZE: "4096" },
      }).toString();
      const b = new CensusBuilder(opts);
      b.push(new Uint32Array(raw.buffer, raw.byteOffset, raw.length / 4));
      expect(formatPageTypesSummary(b.finish().summary, 4096)).toBe(expected);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
