/**
 * The flags word's upper fields, worked out by hand from
 * include/linux/page-flags-layout.h (linux-mm/linux-mm @0dccebc977a3) and the
 * *_PGOFF chain of include/linux/mm.h.
 */
import { describe, expect, it } from "vitest";
import { FLAGS_LAYOUT_CONFIG, flagsFieldValue, flagsLayout } from "../../src/model/flags-layout.js";

describe("flagsLayout", () => {
  it("the model's x86-64 configuration: node 54–63, zone 51–53, last_cpupid 30–50, lru_gen 27–29, lru_refs 25–26", () => {
    // 64 - NR_PAGEFLAGS 24 = 40 free bits. ZONES_SHIFT 3 (5 zones). Nodes: 3 + 3 + 0 + 10 <= 40 → 10.
    // LAST_CPUPID_SHIFT = 8 + 13 = 21; 3 + 3 + 0 + 10 + 0 + 21 = 37 <= 40 → in the flags word.
    // LRU_REFS_WIDTH = min(2, 40 - 37) = 2. PGOFFs: node 64-10 = 54, zone 51, last_cpupid 30,
    // kasan 30 (width 0), lru_gen 27, lru_refs 25.
    const l = flagsLayout(FLAGS_LAYOUT_CONFIG);
    expect(l.fields).toEqual([
      { name: "node", shift: 54, width: 10 },
      { name: "zone", shift: 51, width: 3 },
      { name: "lastcpupid", shift: 30, width: 21 },
      { name: "lru_gen", shift: 27, width: 3 },
      { name: "lru_refs", shift: 25, width: 2 },
    ]);
    expect(l.lastCpupidNotInPageFlags).toBe(false);
    // zone 2 (ZONE_NORMAL), node 1: (1 << 54) | (2 << 51).
    const word = (1n << 54n) | (2n << 51n);
    expect(flagsFieldValue(word, l, "zone")).toBe(2);
    expect(flagsFieldValue(word, l, "node")).toBe(1);
  });
  it("without NUMA_BALANCING there is no last_cpupid field; four zones need 2 bits", () => {
    const l = flagsLayout({ ...FLAGS_LAYOUT_CONFIG, numaBalancing: false, maxNrZones: 4 });
    expect(l.fields.map((f) => [f.name, f.shift, f.width])).toEqual([
      ["node", 54, 10],
      ["zone", 52, 2],
      ["lru_gen", 49, 3],
      ["lru_refs", 47, 2],
    ]);
  });
  it("a last_cpupid that does not fit goes to page->_last_cpupid (LAST_CPUPID_NOT_IN_PAGE_FLAGS)", () => {
    // NR_CPUS_BITS 20: 8 + 20 = 28; 16 + 28 = 44 > 40.
    const l = flagsLayout({ ...FLAGS_LAYOUT_CONFIG, nrCpusBits: 20 });
    expect(l.lastCpupidNotInPageFlags).toBe(true);
    expect(l.fields.some((f) => f.name === "lastcpupid")).toBe(false);
  });
});
