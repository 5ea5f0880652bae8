/**
 * Benchmarks of the simulated machine (src/sim/machine). `npm run bench -- --json`
 * prints them under `sim`:
 *
 *   floorPairNs            a bare typed-array free-list pop + push: the floor no allocator beats
 *   floorListPairNs        the same on a kernel-style doubly linked list (list_del + list_add)
 *   order0PairNs           allocPages(GFP_KERNEL, 0) + freePages(pfn, 0), debugVm on
 *   order0PairNsNoChecks   the same with debugVm off
 *   order0BatchPairNs      32 allocations then 32 frees, per pair (pcp refill/drain in play)
 *   order9CompoundPairNs   allocPages(GFP_KERNEL | __GFP_COMP, 9) + freePages(pfn, 9), debugVm on
 *   bytesPerPage           typed-array bytes of a 16 GiB machine / its pages
 *   machineCreateMs        building a 16 GiB (4,194,304-page) machine
 *
 * Each timing is the best of several interleaved rounds after a warm-up
 * round (medians are printed alongside); every loop feeds a checksum that
 * is returned, so nothing can be optimised away.
 */

import { __GFP_COMP, GFP_KERNEL, Machine } from "../src/sim/machine/index.js";
import type { BenchModule } from "./run.js";

const PAGES_16G = 4_194_304;

interface Case {
  readonly name: string;
  readonly body: (n: number) => number;
  readonly n: number;
  readonly times: number[];
}

/**
 * Time every case in interleaved rounds (so a noisy neighbour hits all of
 * them alike) after a warm-up round; each case's result is its best round
 * in ns per iteration, the usual estimator on a shared machine. The median
 * is reported too.
 */
function measureAll(cases: Case[], rounds: number, sink: { v: number }): void {
  for (const c of cases) sink.v ^= c.body(Math.max(1, c.n >> 2));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const t0 = process.hrtime.bigint();
      sink.v ^= c.body(c.n);
      const t1 = process.hrtime.bigint();
      c.times.push(Number(t1 - t0) / c.n);
    }
  }
}

const best = (c: Case) => Math.min(...c.times);
const median = (c: Case) => [...c.times].sort((a, b) => a - b)[Math.floor(c.times.length / 2)]!;

/** A free list in a typed array, popped and pushed back: what any allocator has to do at least. */
function floorPair(pages: number) {
  const next = new Int32Array(pages);
  for (let i = 0; i < pages; i++) next[i] = i + 1 < pages ? i + 1 : -1;
  let head = 0;
  return (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = head;
      head = next[p]!;
      sum = (sum + p) | 0;
      next[p] = head;
      head = p;
    }
    return sum;
  };
}

/**
 * The same on a kernel-style free list (struct list_head: list_del() of the
 * first entry with poisoning, list_add() back at the head), on typed arrays:
 * the least any allocator with the kernel's doubly linked free lists does.
 */
function floorListPair(pages: number) {
  const next = new Int32Array(pages + 1);
  const prev = new Int32Array(pages + 1);
  const H = pages;
  for (let i = 0; i < pages; i++) {
    next[i] = i + 1;
    prev[i] = i === 0 ? H : i - 1;
  }
  next[pages - 1] = H;
  next[H] = 0;
  prev[H] = pages - 1;
  return (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = next[H]!;
      const nx = next[p]!;
      next[H] = nx;
      prev[nx] = H;
      next[p] = -2;
      prev[p] = -3;
      sum = (sum + p) | 0;
      const first = next[H]!;
      next[p] = first;
      prev[p] = H;
      prev[first] = p;
      next[H] = p;
    }
    return sum;
  };
}

function order0Pair(m: Machine) {
  return (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
      sum = (sum + p) | 0;
      m.freePages("__free_pages", p, 0);
    }
    return sum;
  };
}

function order0Batch(m: Machine) {
  const held = new Int32Array(32);
  return (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i += 32) {
      for (let k = 0; k < 32; k++) held[k] = m.allocPages("alloc_pages", GFP_KERNEL, 0);
      for (let k = 0; k < 32; k++) {
        sum = (sum + held[k]!) | 0;
        m.freePages("__free_pages", held[k]!, 0);
      }
    }
    return sum;
  };
}

function order9Pair(m: Machine) {
  return (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 9);
      sum = (sum + p) | 0;
      m.freePages("__free_pages", p, 9);
    }
    return sum;
  };
}

const bench: BenchModule = {
  name: "sim",
  async run({ quick, log }) {
    const scale = quick ? 0.1 : 1;
    const rounds = quick ? 3 : 7;
    const sink = { v: 0 };

    const t0 = process.hrtime.bigint();
    const checked = new Machine({ pages: PAGES_16G });
    const machineCreateMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const unchecked = new Machine({ pages: PAGES_16G, debugVm: false });
    const bytesPerPage = checked.bytes() / checked.totalPages;

    const mk = (name: string, body: (n: number) => number, n: number): Case => ({
      name,
      body,
      n: Math.max(1, Math.round(n * scale)),
      times: [],
    });
    const cases = [
      mk("floor", floorPair(PAGES_16G), 20_000_000),
      mk("floorList", floorListPair(PAGES_16G), 20_000_000),
      mk("order0", order0Pair(checked), 2_000_000),
      mk("order0NoChecks", order0Pair(unchecked), 2_000_000),
      mk("order0Batch", order0Batch(checked), 2_000_000),
      mk("order9Compound", order9Pair(checked), 20_000),
    ];
    measureAll(cases, rounds, sink);
    const [floor, floorList, order0, order0NoChecks, order0Batched, order9] = cases as [
      Case,
      Case,
      Case,
      Case,
      Case,
      Case,
    ];
    const floorPairNs = best(floor);
    const floorListPairNs = best(floorList);
    const order0PairNs = best(order0);
    const order0PairNsNoChecks = best(order0NoChecks);
    const order0BatchPairNs = best(order0Batched);
    const order9CompoundPairNs = best(order9);

    const audit = [...checked.audit(), ...unchecked.audit()];
    if (audit.length > 0) throw new Error(`machine inconsistent after the benchmark: ${audit[0]}`);
    const result = {
      floorPairNs: round(floorPairNs),
      floorListPairNs: round(floorListPairNs),
      order0PairNs: round(order0PairNs),
      order0PairNsNoChecks: round(order0PairNsNoChecks),
      order0BatchPairNs: round(order0BatchPairNs),
      order9CompoundPairNs: round(order9CompoundPairNs),
      order0OverFloor: round(order0PairNs / floorPairNs),
      order0OverFloorList: round(order0PairNs / floorListPairNs),
      medianNs: Object.fromEntries(cases.map((c) => [c.name, round(median(c))])),
      rounds,
      bytesPerPage: round(bytesPerPage),
      machineCreateMs: round(machineCreateMs),
      pages: PAGES_16G,
      checksum: sink.v,
    };
    log(
      `floor ${result.floorPairNs} ns, order-0 pair ${result.order0PairNs} ns (${result.order0OverFloor}x floor), ` +
        `no checks ${result.order0PairNsNoChecks} ns, batch ${result.order0BatchPairNs} ns, ` +
        `order-9 compound pair ${result.order9CompoundPairNs} ns, ${result.bytesPerPage} B/page`,
    );
    return result;
  },
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export default bench;
