import { describe, expect, it } from "vitest";
import { encodePageType, pageTypeEra } from "../../../src/model/index.js";
import { GFP_KERNEL, Machine } from "../../../src/sim/machine/index.js";

describe("machine options", () => {
  it("has the documented defaults", () => {
    const m = new Machine({ pages: 4096 });
    expect(m.config).toMatchObject({
      debugVm: true,
      asyncKernelPgtableFree: false,
      iommuSva: false,
      onViolation: "throw",
      trackAllocSites: false,
      kernel: { major: 7, minor: 3 },
      hugetlbPage: true,
      comm: "memdesc",
      // zone_batchsize(): min(4096 >> 10, 256) / 4 = 1; rounddown_pow_of_two(1 + 0) - 1 = 0, clamped to 1.
      pcp: { batch: 1, high: 4 },
    });
  });

  it("rejects impossible sizes and kernels", () => {
    expect(() => new Machine({ pages: 0 })).toThrow(RangeError);
    expect(() => new Machine({ pages: 1.5 })).toThrow(RangeError);
    expect(() => new Machine({ pages: 16, kernel: { major: 5, minor: 4 } })).toThrow(/outside/);
    expect(() => new Machine({ pages: 16, pcp: { batch: 0, high: 4 } })).toThrow(RangeError);
  });

  it("shows page_type in the chosen kernel's encoding in the today view", () => {
    const old = new Machine({ pages: 16, kernel: { major: 6, minor: 6 } });
    const buddy66 = encodePageType("buddy", pageTypeEra({ major: 6, minor: 6 }));
    expect(buddy66).toBe(0xffffff7f);
    expect(old.structPage(0).words[6]! & 0xffffffffn).toBe(BigInt(buddy66));
    // The machine's own column keeps the newest encoding.
    expect(old.pageTypeWord(0)).toBe(0xf0000000);
  });

  it("compares the kernel with its stable release: 6.6.29 and 6.6.30 are different page_type eras", () => {
    // The hugetlb page type reached 6.6 in the stable release 6.6.30 (2431b5f2650d, the backport of
    // d99e3140a4d3 'mm: turn folio_test_hugetlb into a PageType'): 6.6.29 has no PG_hugetlb.
    expect(new Machine({ pages: 16, kernel: { major: 6, minor: 6, patch: 29 } }).config.pageTypeEra.id).toBe(
      "6.6.0-6.6.29",
    );
    expect(new Machine({ pages: 16, kernel: { major: 6, minor: 6, patch: 30 } }).config.pageTypeEra.id).toBe(
      "6.6.30-6.6.y",
    );
    // A stable release of the newest series is that series, not a kernel past the tables.
    expect(new Machine({ pages: 16, kernel: { major: 7, minor: 3, patch: 2 } }).config.kernel).toEqual({
      major: 7,
      minor: 3,
      patch: 2,
    });
    expect(() => new Machine({ pages: 16, kernel: { major: 7, minor: 4 } })).toThrow(/outside/);
    expect(() => new Machine({ pages: 16, kernel: { major: 6, minor: 5, patch: 9 } })).toThrow(/outside/);
  });

  it("stays within 48 bytes of typed-array state per page on a 16 GiB machine", () => {
    const m = new Machine({ pages: 4_194_304 });
    expect(m.bytes() / m.totalPages).toBeLessThanOrEqual(48);
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 10);
    expect(p).toBe(0);
  });
});
