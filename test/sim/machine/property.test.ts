import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMemdesc, type MemdescKindName, type PageTypeName } from "../../../src/model/index.js";
import {
  __GFP_COMP,
  GFP_KERNEL,
  ListCorruptionError,
  Machine,
  type PcpConfig,
} from "../../../src/sim/machine/index.js";

// A naive reference model — a set of free pages and a list of live
// allocations — checked against the typed-array machine after random
// sequences of allocate, free, get/put, split_page, page-type and memdesc-kind
// operations. Only valid operations are generated (onViolation "throw": any
// report fails the property); rule violations have their own tests.
const PAGES = 2048;

interface Entry {
  head: number;
  order: number;
  compound: boolean;
  refs: number;
  type: PageTypeName | null;
  kind: MemdescKindName;
}

type Op =
  | { t: "alloc"; order: number; comp: boolean; frozen: boolean }
  | { t: "free"; i: number }
  | { t: "get"; i: number; off: number }
  | { t: "put"; i: number }
  | { t: "split"; i: number }
  | { t: "type"; i: number; type: PageTypeName }
  | { t: "untype"; i: number }
  | { t: "kind"; i: number; kind: MemdescKindName };

const TYPES: PageTypeName[] = ["table", "offline", "guard", "zsmalloc"];
const KINDS: MemdescKindName[] = ["folio", "anon_folio", "ptdesc", "slab", "zpdesc", "misc"];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("alloc" as const),
      order: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) },
        { weight: 1, arbitrary: fc.integer({ min: 4, max: 10 }) },
      ),
      comp: fc.boolean(),
      frozen: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("free" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("get" as const), i: fc.nat(), off: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("put" as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("split" as const), i: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("type" as const), i: fc.nat(), type: fc.constantFrom(...TYPES) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("untype" as const), i: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("kind" as const), i: fc.nat(), kind: fc.constantFrom(...KINDS) }),
  },
);

class Model {
  readonly free = new Uint8Array(PAGES).fill(1);
  readonly live: Entry[] = [];

  alignedFreeRunExists(order: number): boolean {
    const n = 1 << order;
    for (let p = 0; p + n <= PAGES; p += n) {
      let all = true;
      for (let q = p; q < p + n && all; q++) all = this.free[q] === 1;
      if (all) return true;
    }
    return false;
  }

  mark(head: number, pages: number, free: 0 | 1): void {
    for (let p = head; p < head + pages; p++) this.free[p] = free;
  }
}

function apply(m: Machine, model: Model, op: Op): void {
  const pick = (i: number) => (model.live.length ? i % model.live.length : -1);
  switch (op.t) {
    case "alloc": {
      const gfp = GFP_KERNEL | (op.comp ? __GFP_COMP : 0);
      const p = op.frozen
        ? m.allocFrozenPages("alloc_frozen_pages", gfp, op.order)
        : m.allocPages("alloc_pages", gfp, op.order);
      const n = 1 << op.order;
      if (p < 0) {
        expect(model.alignedFreeRunExists(op.order)).toBe(false);
        return;
      }
      expect(p % n).toBe(0);
      for (let q = p; q < p + n; q++) expect(model.free[q]).toBe(1);
      model.mark(p, n, 0);
      model.live.push({
        head: p,
        order: op.order,
        compound: op.comp && op.order > 0,
        refs: op.frozen ? 0 : 1,
        type: null,
        kind: "misc",
      });
      return;
    }
    case "free": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.refs === 0) {
        m.freeFrozenPages("free_frozen_pages", e.head, e.order);
      } else {
        m.freePages("__free_pages", e.head, e.order);
        if (e.refs > 1) {
          e.refs--;
          if (!e.compound && e.order > 0) {
            // ___free_pages(): the parts after the first page are freed now.
            model.mark(e.head + 1, (1 << e.order) - 1, 1);
            e.order = 0;
          }
          return;
        }
      }
      model.mark(e.head, 1 << e.order, 1);
      model.live.splice(k, 1);
      return;
    }
    case "get": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.refs === 0) return;
      // get_page() on any page of a compound page takes the folio's reference.
      m.getPage("get_page", e.compound ? e.head + (op.off % (1 << e.order)) : e.head);
      e.refs++;
      return;
    }
    case "put": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.refs === 0 || (e.refs === 1 && !e.compound && e.order > 0)) return;
      m.putPage("put_page", e.head);
      e.refs--;
      if (e.refs === 0) {
        model.mark(e.head, 1 << e.order, 1);
        model.live.splice(k, 1);
      }
      return;
    }
    case "split": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.compound || e.order === 0 || e.refs === 0) return;
      m.splitPage("split_page", e.head, e.order);
      const parts: Entry[] = [{ ...e, order: 0, kind: "misc" }];
      for (let q = 1; q < 1 << e.order; q++) {
        parts.push({ head: e.head + q, order: 0, compound: false, refs: 1, type: null, kind: "misc" });
      }
      model.live.splice(k, 1, ...parts);
      return;
    }
    case "type": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.type !== null) return;
      m.setPageType(`__SetPage(${op.type})`, e.head, op.type);
      e.type = op.type;
      return;
    }
    case "untype": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      if (e.type === null) return;
      m.clearPageType(`__ClearPage(${e.type})`, e.head, e.type);
      e.type = null;
      return;
    }
    case "kind": {
      const k = pick(op.i);
      if (k < 0) return;
      const e = model.live[k]!;
      m.setMemdescKind("memdesc", e.head, op.kind);
      e.kind = op.kind;
      return;
    }
  }
}

/** The invariants, checked against the model rather than the machine's own bookkeeping. */
function check(m: Machine, model: Model): void {
  const bad: string[] = [];
  const want = (ok: boolean, what: string) => {
    if (!ok && bad.length < 20) bad.push(what);
  };
  const owner = new Int32Array(PAGES).fill(-1);
  let allocated = 0;
  for (const e of model.live) {
    const n = 1 << e.order;
    allocated += n;
    expect(m.allocationOf(e.head)).toEqual({ head: e.head, order: e.order, compound: e.compound });
    want(m.pageType(e.head) === e.type, `page type of ${e.head}`);
    const word = m.memdescWord(e.head);
    const d = decodeMemdesc(word);
    if (e.kind === "misc") want(d.payload === "misc" && d.order === e.order, `misc word of ${e.head}`);
    else want(d.payload === "pointer" && d.entry.kind === e.kind, `${e.kind} word of ${e.head}`);
    for (let p = e.head; p < e.head + n; p++) {
      // No page in two allocations.
      want(owner[p] === -1, `page ${p} in two allocations`);
      owner[p] = e.head;
      want(m.pageState(p) === "allocated", `page ${p} not allocated`);
      // Every page of an allocation carries the allocation's word.
      want(m.memdescWord(p) === word, `word of page ${p}`);
      // Today's view agrees: compound tails point at the head.
      want(m.compoundHead(p) === (e.compound ? e.head : p), `compound_head of ${p}`);
    }
  }
  for (let p = 0; p < PAGES; p++) {
    const state = m.pageState(p);
    want(
      (model.free[p] === 1) === (state === "buddy" || state === "pcp"),
      `page ${p} free in model, ${state} in machine`,
    );
    if (model.free[p]) {
      const d = decodeMemdesc(m.memdescWord(p));
      want(d.payload === "buddy", `free page ${p} has a ${d.payload} word`);
      // A Buddy word with an order > 0 on a buddy page is a free block's first
      // page: PageBuddy with that order in ->private.
      if (d.payload === "buddy" && d.order > 0 && state === "buddy") {
        want(m.pageType(p) === "buddy" && m.private(p) === d.order, `free block head ${p}`);
      }
    }
  }
  expect(bad).toEqual([]);
  const s = m.stats();
  expect(s.allocatedPages).toBe(allocated);
  expect(s.freePages + s.allocatedPages).toBe(PAGES);
}

function freeEverything(m: Machine, model: Model): void {
  for (const e of model.live) {
    if (e.refs === 0) {
      m.freeFrozenPages("free_frozen_pages", e.head, e.order);
      continue;
    }
    while (e.refs > 1) {
      m.putPage("put_page", e.head);
      e.refs--;
    }
    m.freePages("__free_pages", e.head, e.order);
  }
  model.live.length = 0;
  model.free.fill(1);
}

const configs: [string, PcpConfig | false][] = [
  ["with pcp lists", { batch: 7, high: 28 }],
  ["without pcp lists", false],
];

describe.each(configs)("random operations %s", (_name, pcp) => {
  it("keep the machine consistent with the naive model, and freeing everything restores boot", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const m = new Machine({ pages: PAGES, pcp });
        const model = new Model();
        ops.forEach((op, i) => {
          apply(m, model, op);
          if (i % 4 === 3) {
            expect(m.audit()).toEqual([]);
            check(m, model);
          }
        });
        expect(m.audit()).toEqual([]);
        check(m, model);
        freeEverything(m, model);
        m.drainPcp();
        expect(m.freeBlocks()).toEqual(m.bootFreeBlocks);
        expect(m.audit()).toEqual([]);
        expect(m.ledger().allocations).toEqual([]);
        expect(m.stats().descriptors.every((d) => d.live === 0)).toBe(true);
        expect(m.violations).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

// Whatever a caller does through the public API — double frees, wrong
// orders, frees of tails and orphans, splits of folios, use after free —
// the machine reports it and its own state stays sound.
type WildOp =
  | { t: "alloc"; order: number; comp: boolean }
  | { t: "free"; pfn: number; order: number }
  | { t: "frozen"; pfn: number; order: number }
  | { t: "compound"; pfn: number }
  | { t: "get" | "put"; pfn: number }
  | { t: "split"; pfn: number; order: number }
  | { t: "flag"; pfn: number; bit: number }
  | { t: "type"; pfn: number; type: PageTypeName }
  | { t: "mapping"; pfn: number; v: number }
  | { t: "private"; pfn: number; v: number }
  | { t: "list"; pfn: number; del: boolean };

const SMALL = 256;
const pfnArb = fc.integer({ min: 0, max: SMALL - 1 });
const orderArb = fc.integer({ min: 0, max: 4 });
const wildArb: fc.Arbitrary<WildOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant("alloc" as const), order: orderArb, comp: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("free" as const), pfn: pfnArb, order: orderArb }) },
  fc.record({ t: fc.constant("frozen" as const), pfn: pfnArb, order: orderArb }),
  fc.record({ t: fc.constant("compound" as const), pfn: pfnArb }),
  fc.record({ t: fc.constantFrom("get" as const, "put" as const), pfn: pfnArb }),
  fc.record({ t: fc.constant("split" as const), pfn: pfnArb, order: orderArb }),
  fc.record({ t: fc.constant("flag" as const), pfn: pfnArb, bit: fc.integer({ min: 0, max: 23 }) }),
  fc.record({
    t: fc.constant("type" as const),
    pfn: pfnArb,
    type: fc.constantFrom<PageTypeName>("table", "slab", "offline"),
  }),
  fc.record({ t: fc.constant("mapping" as const), pfn: pfnArb, v: fc.constantFrom(0, 4, 0x400, 9) }),
  fc.record({ t: fc.constant("private" as const), pfn: pfnArb, v: fc.constantFrom(0, 1, 2) }),
  fc.record({ t: fc.constant("list" as const), pfn: pfnArb, del: fc.boolean() }),
);

describe("random misuse", () => {
  it("is reported, never corrupts the machine, and the ledger accounts for every page", () => {
    fc.assert(
      fc.property(fc.array(wildArb, { maxLength: 80 }), fc.boolean(), (ops, debugVm) => {
        const m = new Machine({ pages: SMALL, pcp: { batch: 3, high: 9 }, onViolation: "collect", debugVm });
        const list = m.newListHead();
        for (const op of ops) {
          switch (op.t) {
            case "alloc":
              m.allocPages("alloc_pages", GFP_KERNEL | (op.comp ? __GFP_COMP : 0), op.order);
              break;
            case "free":
              m.freePages("__free_pages", op.pfn, op.order);
              break;
            case "frozen":
              m.freeFrozenPages("free_frozen_pages", op.pfn, op.order);
              break;
            case "compound":
              m.freeCompoundOrder("__free_pages", op.pfn);
              break;
            case "get":
              m.getPage("get_page", op.pfn);
              break;
            case "put":
              m.putPage("put_page", op.pfn);
              break;
            case "split":
              m.splitPage("split_page", op.pfn, op.order);
              break;
            case "flag":
              m.setFlag("set_bit", op.pfn, op.bit);
              break;
            case "type":
              m.setPageType(`__SetPage(${op.type})`, op.pfn, op.type);
              break;
            case "mapping":
              m.setMapping("page->mapping", op.pfn, op.v);
              break;
            case "private":
              m.setPrivate("set_page_private", op.pfn, op.v);
              break;
            case "list":
              // A second add or a del of an unlisted page is list corruption (CONFIG_DEBUG_LIST).
              try {
                if (m.isAllocated(op.pfn)) {
                  if (op.del) m.listDel("list_del", op.pfn);
                  else m.listAdd("list_add", op.pfn, list);
                }
              } catch (e) {
                expect(e).toBeInstanceOf(ListCorruptionError);
              }
              break;
          }
          expect(m.audit()).toEqual([]);
        }
        const s = m.stats();
        const l = m.ledger();
        expect(s.freePages + s.allocatedPages).toBe(SMALL);
        expect(l.allocatedPages + l.orphanedPages + l.leakedPages).toBe(s.allocatedPages);
      }),
      { numRuns: 150 },
    );
  });
});
