/**
 * dump_page()'s `flags:` line follows the machine's kernel: the flag bits in
 * that kernel's enum pageflags and the names of its __def_pageflag_names
 * (include/trace/events/mmflags.h), in the table's order. Every expected
 * string is worked out by hand below from those sources, x86-64 with X86_PAT:
 *
 * - v7.3.4 (Debian linux-headers-7.3.4+deb13-common): reserved 13, head 6,
 *   hwpoison 21; names in the order ..., reserved, private, private_2,
 *   writeback, head, ..., hwpoison.
 * - v6.12.117 (Debian linux-headers-6.12.117+deb13-common): no dropbehind, so
 *   mlocked 19, hwpoison 20; reserved 13, head 6.
 * - 6.6 (the enum after message 20230816151201.3655946-10-willy@infradead.org
 *   and the names of message 20230130042514.2418-2-42.hyeyoo@gmail.com):
 *   error 10 and slab 11 push reserved to 14, mlocked to 21, uncached 22,
 *   hwpoison 23.
 *
 * The upper fields are the machine's (decision 0332): zone 2 at bit 51, a
 * 21-bit last_cpupid of all ones at bit 30, so every word carries
 * 0x0017_ffff_c000_0000.
 */
import { describe, expect, it } from "vitest";
import { PAGE_FLAG_ERAS, pageFlagBit, pageFlagEra } from "../../../src/model/index.js";
import { formatPageFlags, Machine } from "../../../src/sim/index.js";

const UPPER = "|node=0|zone=2|lastcpupid=0x1fffff)";

describe("dump_page() flags per kernel era", () => {
  it("formatPageFlags names bits as each era's mmflags.h does", () => {
    // 7.3: PG_reserved (13) | PG_head (6) = 0x2040; printed reserved before head (table order).
    expect(formatPageFlags(0x2040)).toBe(`0x17ffffc0002040(reserved|head${UPPER}`);
    // 6.6: PG_error 10 and PG_slab 11 exist; 0xc00 prints "error|slab"; PG_uncached 22 "uncached".
    const e66 = pageFlagEra({ major: 6, minor: 6 });
    expect(formatPageFlags(0xc00, e66)).toBe(`0x17ffffc0000c00(error|slab${UPPER}`);
    expect(formatPageFlags(1 << 22, e66)).toBe(`0x17ffffc0400000(uncached${UPPER}`);
    // 6.12: bit 11 is owner_2, bit 23 is arch_2 (x86 PAT).
    const e612 = pageFlagEra({ major: 6, minor: 12 });
    expect(formatPageFlags((1 << 11) | (1 << 23), e612)).toBe(`0x17ffffc0800800(owner_2|arch_2${UPPER}`);
    // A bit no name claims prints as hex after the names: 6.12 has 24 flags (0..23), bit 24 is unnamed.
    expect(formatPageFlags((1 << 24) | 1, e612)).toBe(`0x17ffffc1000001(locked|0x1000000${UPPER}`);
  });

  it("a machine's dump of a reserved, hwpoisoned page follows --kernel", () => {
    const dump = (kernel: { major: number; minor: number }) => {
      const m = new Machine({ pages: 64, kernel, onViolation: "collect" });
      const pfn = m.allocPages("alloc_pages", m.gfpMask(["GFP_KERNEL"]), 0);
      // The machine's columns hold the newest tree's bits (PAGE_FLAGS); the dump renumbers them.
      m.setFlag("set_bit", pfn, pageFlagBit("PG_reserved"));
      m.setFlag("set_bit", pfn, pageFlagBit("PG_hwpoison"));
      const lines = m.dumpPage(pfn).split("\n");
      const flags = lines.find((l) => l.startsWith("flags:"));
      // The raw flags word (the first raw word) carries the same bits.
      const raw = lines.find((l) => l.startsWith("raw: "))!.slice(5, 21);
      expect(`0x${raw.replace(/^0+/, "")}`).toBe(flags!.slice(7, flags!.indexOf("(")));
      return flags;
    };
    // 7.3: reserved 13 (0x2000) | hwpoison 21 (0x200000) = 0x202000.
    expect(dump({ major: 7, minor: 3 })).toBe(`flags: 0x17ffffc0202000(reserved|hwpoison${UPPER}`);
    // 6.12: reserved 13 | hwpoison 20 (0x100000) = 0x102000.
    expect(dump({ major: 6, minor: 12 })).toBe(`flags: 0x17ffffc0102000(reserved|hwpoison${UPPER}`);
    // 6.6: reserved 14 (0x4000) | hwpoison 23 (0x800000) = 0x804000.
    expect(dump({ major: 6, minor: 6 })).toBe(`flags: 0x17ffffc0804000(reserved|hwpoison${UPPER}`);
  });

  it("every era names each of its flags once, and only flags it has", () => {
    for (const era of PAGE_FLAG_ERAS) {
      expect(new Set(era.dumpNames).size, era.id).toBe(era.dumpNames.length);
      for (const n of era.dumpNames)
        expect(
          era.flags.some((f) => f.name === `PG_${n}`),
          `${era.id} ${n}`,
        ).toBe(true);
    }
  });
});
