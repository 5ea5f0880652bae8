/** `memdesc decode`: the four kinds of word, with values worked out by hand, and every bad input. */
import { describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_USAGE } from "../../src/cli/run.js";
import { runMemdesc } from "../helpers/cli.js";

describe("memdesc decode", () => {
  it("a memdesc word: type 7 is PageTable in the default table, pointer to struct ptdesc", async () => {
    const r = await runMemdesc("decode", "0xffff888100000027");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain("type      7 = PageTable (bits 0–3)");
    expect(r.stdout).toContain("pointer   0xffff888100000020 → struct ptdesc");
  });
  it("a Misc word: subtype, mappable bit and order inline", async () => {
    const r = await runMemdesc("decode", "0x7020", "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({
      as: "memdesc",
      type: 0,
      name: "Misc",
      subtype: 2,
      subtypeName: "unknown",
      order: 7,
      userMappable: false,
    });
  });
  it("another table reads the same word differently", async () => {
    const r = await runMemdesc("decode", "0xffff888100000029", "--table", "wiki-page", "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({ table: "wiki-page", type: 9, name: "PageTable" });
  });
  it("a page_type word of the newest kernel and of 6.11", async () => {
    const a = await runMemdesc("decode", "0xf2000000", "--as", "page_type", "--json");
    expect(JSON.parse(a.stdout)).toMatchObject({
      era: "7.1-7.3",
      meaning: "typed",
      type: "table",
      ownerBits: 24,
    });
    const b = await runMemdesc("decode", "0xbfff1234", "--as", "page_type", "--kernel", "6.11", "--json");
    expect(JSON.parse(b.stdout)).toMatchObject({
      era: "6.11",
      type: "buddy",
      ownerBits: 16,
      ownerValue: 0x1234,
    });
  });
  it("a flags word: PG_referenced and PG_head, node/zone/section above bit 24", async () => {
    const r = await runMemdesc("decode", "0x1000000000000044", "--as", "flags");
    expect(r.stdout).toMatch(/bit {2}2 {2}PG_referenced\s+PF_HEAD\s+folio-only\s+\(PT_kernel on a ptdesc\)/);
    expect(r.stdout).toMatch(/bit {2}6 {2}PG_head\s+PF_ANY/);
    // 25 flags on x86-64 (PG_arch_2 in bit 24): 2^60 >> 25 = 2^35.
    expect(r.stdout).toContain("bits 25–63 = 0x0000000800000000");
  });
  it("a flags word with --kernel: the era's enum pageflags (bit 14 is PG_reserved in 6.6, PG_private in 7.3)", async () => {
    // 6.6 (after 'mm: Rearrange page flags'): error 10, slab 11, owner_priv_1 12, arch_1 13, reserved 14;
    // 0x5c00 = bits 10, 11, 12, 14.
    const old = await runMemdesc("decode", "0x5c00", "--as", "flags", "--kernel", "6.6.30", "--json");
    const j = JSON.parse(old.stdout);
    expect(j.era).toBe("6.6.30-6.6.y");
    expect(j.flags.map((f: { bit: number; name: string }) => [f.bit, f.name])).toEqual([
      [10, "PG_error"],
      [11, "PG_slab"],
      [12, "PG_owner_priv_1"],
      [14, "PG_reserved"],
    ]);
    expect(j.flags[2].policy).toBe("PF_ANY");
    expect(j.unsettled).toMatch(/policies/);
    // 7.3: owner_priv_1 10, owner_2 11, arch_1 12, reserved 13, private 14.
    const now = await runMemdesc("decode", "0x5c00", "--as", "flags", "--kernel", "7.3", "--json");
    expect(JSON.parse(now.stdout).flags.map((f: { name: string }) => f.name)).toEqual([
      "PG_owner_priv_1",
      "PG_owner_2",
      "PG_arch_1",
      "PG_private",
    ]);
  });
  it("a kpageflags word: page-types letters and the census kind (the example from the issue)", async () => {
    const r = await runMemdesc("decode", "0x802410028", "--as", "kpageflags", "--json");
    const j = JSON.parse(r.stdout);
    // 0x802410028 = bits 3 (uptodate), 5 (lru), 16 (compound_tail), 22 (thp), 25 (idle), 35 (private).
    expect(j.bits.map((b: { bit: number }) => b.bit)).toEqual([3, 5, 16, 22, 25, 35]);
    // page-types hides bits 32–47 and, outside hugetlb, the compound bits.
    expect(j.pageTypes.longNames).toBe("uptodate,lru,thp,idle_page");
    expect(j.censusKind).toBe("file");
    expect(j.memdescKind).toBe("folio");
  });
  it.each([
    [["decode", "zz"], /^memdesc: memdesc word 'zz' is not an unsigned number/],
    [["decode", "0x10000000000000000"], /does not fit in 64 bits/],
    [["decode", "0x100000000", "--as", "page_type"], /does not fit in 32 bits/],
    [["decode", "0xc"], /^memdesc: MD001 memdesc type 12/],
    [["decode", "0x1", "--table", "nope"], /unknown memdesc table 'nope'/],
    [
      ["decode", "0x1", "--kernel", "5.4", "--as", "page_type"],
      /outside the range memdesc describes \(6\.6 to 7\.3\)/,
    ],
    [["decode", "0x1", "--kernel", "six"], /is not of the form MAJOR\.MINOR/],
    [["decode", "0x1", "--as", "bogus"], /^memdesc: option '--as <kind>' argument 'bogus' is invalid/],
    [["decode"], /^memdesc: missing required argument 'value'/],
  ])("bad input %j: one line, exit 2", async (args, message) => {
    const r = await runMemdesc(...args);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });
});

// Kernel fidelity across versions (issue 11). Expected values worked out by hand from the
// sources each test names.
describe("memdesc decode follows the kernel version", () => {
  it("1: 0xfffff7ff is hugetlb from 6.6.30 (stable backport of d99e3140a4d3), not in 6.6.29", async () => {
    // [PATCH 6.6.y] (message 20240429133142.2985003-1-willy@infradead.org): PG_hugetlb 0x00000800,
    // cleared from UINT_MAX: 0xfffff7ff.
    const a = await runMemdesc("decode", "0xfffff7ff", "--as", "page_type", "--kernel", "6.6.30", "--json");
    expect(JSON.parse(a.stdout)).toMatchObject({ era: "6.6.30-6.6.y", meaning: "typed", type: "hugetlb" });
    const b = await runMemdesc("decode", "0xfffff7ff", "--as", "page_type", "--kernel", "6.6.29");
    expect(b.code).toBe(EXIT_USAGE);
    expect(b.stderr).toContain("0xfffff7ff has no PG_* type bit cleared under kernel 6.6.0-6.6.29");
    const c = await runMemdesc("decode", "0xfffff7ff", "--as", "page_type", "--kernel", "6.18.44-foo");
    expect(c.code).toBe(EXIT_OK);
    const d = await runMemdesc("decode", "0xfffff7ff", "--as", "page_type", "--kernel", "6.8.9", "--json");
    expect(JSON.parse(d.stdout)).toMatchObject({ type: "hugetlb" });
  });
  it("2: 0xff7fffff is not unaccepted in 6.11 (PageUnaccepted was posted after 6.11-rc1)", async () => {
    // Message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com (9 Aug 2024) would add
    // PG_unaccepted 0x00800000; 6.11 has PG_zsmalloc 0x01000000 as its lowest type bit.
    const r = await runMemdesc("decode", "0xff7fffff", "--as", "page_type", "--kernel", "6.11");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain("0xff7fffff has no PG_* type bit cleared under kernel 6.11");
    const v = await runMemdesc("decode", "0xf7000000", "--as", "page_type", "--kernel", "6.12", "--json");
    expect(JSON.parse(v.stdout)).toMatchObject({ era: "6.12-6.14", type: "unaccepted" });
  });
  it("4: VmallocMappable (type 7 of the wiki page view) is a struct pointer", async () => {
    // https://kernelnewbies.org/MatthewWilcox/Memdescs page view: "7 | VmallocMappable (struct pointer)";
    // 0xffff888100000027 = pointer 0xffff888100000020 | type 7.
    const r = await runMemdesc("decode", "0xffff888100000027", "--table", "wiki-page", "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({
      type: 7,
      name: "VmallocMappable",
      address: "0xffff888100000020",
    });
    const text = await runMemdesc("decode", "0xffff888100000027", "--table", "wiki-page");
    expect(text.stdout).toContain("→ a struct the table does not name (bits 4–63");
    expect(text.stdout).not.toContain("→ null");
  });
  it("7: KPF_UNCACHED (bit 39) is still defined; only stable_page_flags() stopped setting it", async () => {
    const r = await runMemdesc("decode", "0x8000000000", "--as", "kpageflags");
    expect(r.stdout).toMatch(/bit 39\s+KPF_UNCACHED/);
    expect(r.stdout).toContain("still defined in include/linux/kernel-page-flags.h");
    expect(r.stdout).not.toContain("removed from the kernel");
  });
  it("12: KPF_THP follows the era's rule (PG_lru or anon to 6.10, large rmappable from 6.11)", async () => {
    // fs/proc/page.c v6.10: folio_test_large(folio) && ((k & (1 << PG_lru)) || is_anon);
    // after 'kpageflags: detect isolated KPF_THP folios': folio_test_large_rmappable(folio).
    const a = await runMemdesc("decode", "0x400000", "--as", "kpageflags", "--kernel", "6.10");
    expect(a.stdout).toContain("KPF_THP            t thp  — set for a large folio with PG_lru set or anon");
    const b = await runMemdesc("decode", "0x400000", "--as", "kpageflags", "--kernel", "6.11");
    expect(b.stdout).toContain("— set for any large rmappable folio, not only PMD-sized");
  });
  it("rejects a kernel version that is not major.minor, stable or uname -r", async () => {
    const r = await runMemdesc("decode", "0x1", "--as", "page_type", "--kernel", "6.12foo");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
