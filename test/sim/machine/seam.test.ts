/**
 * The machine seam (decision 0323): Machine's methods are bound from tables
 * of sibling-module functions. The compiler checks `Machine implements
 * MachinePort` against the types derived from those tables; these tests
 * check what the types cannot: that every port member is there at run time,
 * and that the binder checks the pfn of every kind of operation.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { MachinePort } from "../../../src/sim/kernel/port.js";
import type { PageStateName } from "../../../src/sim/machine/index.js";
import { GFP_KERNEL, Machine } from "../../../src/sim/machine/index.js";

/** Every member of MachinePort, by hand; `satisfies` fails to compile when the port gains or loses one. */
const PORT_MEMBERS = {
  nrPages: "value",
  config: "value",
  allocPages: "method",
  freePages: "method",
  freeCompoundOrder: "method",
  freeFrozenPages: "method",
  getPage: "method",
  putPage: "method",
  splitPage: "method",
  pageRefCount: "method",
  setPageRefCount: "method",
  compoundHead: "method",
  compoundOrder: "method",
  isHead: "method",
  isTail: "method",
  allocationOrder: "method",
  allocationHead: "method",
  isAllocated: "method",
  pageState: "method",
  gfpMask: "method",
  flags: "method",
  setFlag: "method",
  clearFlag: "method",
  pageTypeWord: "method",
  setPageType: "method",
  clearPageType: "method",
  setPageTypeOwnerBits: "method",
  private: "method",
  setPrivate: "method",
  mapping: "method",
  setMapping: "method",
  newListHead: "method",
  listDel: "method",
  linkNext: "method",
  linkPrev: "method",
  setLinkNext: "method",
  setLinkPrev: "method",
  memdescWord: "method",
  memdescKind: "method",
  setMemdescKind: "method",
  ptdescState: "method",
  setPtdescState: "method",
  markPgtableReachable: "method",
  notePgtableRelease: "method",
  pgtableReachable: "method",
  markStaleIotlb: "method",
  iommuInvalidateAll: "method",
  report: "method",
} as const satisfies Record<keyof MachinePort, "value" | "method">;

describe("the machine seam", () => {
  it("has every MachinePort member at run time, each method under its own name", () => {
    const m = new Machine({ pages: 64 });
    for (const [name, what] of Object.entries(PORT_MEMBERS)) {
      const member = (m as unknown as Record<string, unknown>)[name];
      if (what === "value") expect(member, name).toBeDefined();
      else {
        expect(typeof member, name).toBe("function");
        expect((member as { name: string }).name, name).toBe(name);
      }
    }
  });

  it("types each bound method as the method it replaced (machine.ts at 68e13ab)", () => {
    expectTypeOf<Machine["setFlag"]>().toEqualTypeOf<(op: string, pfn: number, bit: number) => void>();
    expectTypeOf<Machine["pageRefFreeze"]>().toEqualTypeOf<
      (op: string, pfn: number, count: number) => boolean
    >();
    expectTypeOf<Machine["private"]>().toEqualTypeOf<(pfn: number) => number | bigint>();
    expectTypeOf<Machine["pageState"]>().toEqualTypeOf<(pfn: number) => PageStateName>();
    expectTypeOf<Machine["dumpPage"]>().toEqualTypeOf<(pfn: number, reason?: string | null) => string>();
    expectTypeOf<Machine["allocFrozenPages"]>().toEqualTypeOf<
      (op: string, gfp: number, order: number, site?: string) => number
    >();
    expectTypeOf<Machine["listNodes"]>().toEqualTypeOf<(head: number) => number[]>();
  });

  // 64 pages: pfns 0x0 … 0x3f. The message is the machine's; the state is untouched.
  const outside = (pfn: number) => `pfn 0x${pfn.toString(16)} is not a page of this 64-page machine`;

  it("rejects a pfn outside the machine in every kind of operation, before it acts", () => {
    const m = new Machine({ pages: 64, onViolation: "collect" });
    const pfn = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    const before = m.stats();
    const calls: [string, () => unknown][] = [
      ["freePages (written out)", () => m.freePages("__free_pages", 64, 0)],
      ["setFlag (a page operation)", () => m.setFlag("SetPageReserved", 64, 10)],
      ["putPage (a page operation)", () => m.putPage("put_page", -1)],
      ["flags (a column read)", () => m.flags(64)],
      ["pageCount (a column read)", () => m.pageCount(100)],
      ["memdescWord (a read through the context)", () => m.memdescWord(64)],
      ["dumpPage (a read through the context)", () => m.dumpPage(64)],
    ];
    const expected = [64, 64, -1, 64, 100, 64, 64].map(outside);
    expect(
      calls.map(([, call]) => {
        try {
          call();
          return "no error";
        } catch (e) {
          return `${(e as Error).constructor.name}: ${(e as Error).message}`;
        }
      }),
    ).toEqual(expected.map((message) => `RangeError: ${message}`));
    expect(m.stats()).toEqual(before);
    expect(m.pageRefCount(pfn)).toBe(1);
  });

  it("checks the last page of a range and the pfn inside a reported violation", () => {
    const m = new Machine({ pages: 64, onViolation: "collect" });
    expect(() => m.markStaleIotlb("__pagetable_free", 62, 3)).toThrow(outside(64));
    expect(m.isStaleIotlb(62)).toBe(false);
    expect(() =>
      m.report({ rule: "MD006", op: "page_folio", pfn: 64, message: "MD006 page_folio: not a folio" }),
    ).toThrow(outside(64));
    expect(m.violations).toEqual([]);
  });

  it("rejects a list node that is a pfn outside the machine (it used to die in a TypeError while reporting)", () => {
    const m = new Machine({ pages: 64, onViolation: "collect" });
    const head = m.newListHead();
    expect(() => m.setLinkNext("x", 64, 3)).toThrow(outside(64));
    expect(() => m.listAdd("list_add", 100, head)).toThrow(outside(100));
    expect(() => m.listDel("list_del", 64)).toThrow(outside(64));
    expect(() => m.linkNext(64)).toThrow(outside(64));
    expect(m.violations).toEqual([]);
    expect(m.listEmpty(head)).toBe(true);
  });

  it("takes list heads, which are no pfns, in the list reads", () => {
    const m = new Machine({ pages: 64 });
    const head = m.newListHead();
    expect(head).toBeLessThan(0);
    expect(m.listEmpty(head)).toBe(true);
    expect(m.listFirst(head)).toBe(-1);
    expect(m.listNodes(head)).toEqual([]);
    expect(m.linkNext(head)).toBe(head);
  });
});
