/**
 * The kernel-named API on a simulated machine: the one place where the
 * API's port (PFN operations with kernel semantics) meets the Machine class.
 */
import type { MemdescKindName } from "../../model/memdesc-word.js";
import * as gfp from "../machine/gfp.js";
import type { Machine } from "../machine/machine.js";
import type { MachinePort, PtdescState } from "./port.js";
import { withMachine } from "./port.js";

// ptdesc lifecycle in the machine's two owner-state bits (reset at allocation).
const STATES: readonly PtdescState[] = ["none", "allocated", "constructed", "destructed"];

/** The machine's numeric value of a base GFP flag, by its kernel name. */
function gfpValue(name: string): number {
  const v = (gfp as Record<string, unknown>)[name];
  if (typeof v !== "number")
    throw new TypeError(`GFP flag ${name} has no value in include/linux/gfp_types.h`);
  return v;
}

export function machinePort(m: Machine): MachinePort {
  return {
    nrPages: m.config.pages,
    config: m.config,
    allocPages: (g, order, op) => m.allocPages(g, order, op),
    freePages: (pfn, order) => m.freePages(pfn, order),
    freeCompoundOrder: (pfn, op) => m.freeCompoundOrder(pfn, op),
    getPage: (pfn) => m.getPage(pfn),
    putPage: (pfn) => m.putPage(pfn),
    pageRefCount: (pfn) => m.pageRefCount(pfn),
    splitPage: (pfn, order) => m.splitPage(pfn, order),
    compoundHead: (pfn) => m.compoundHead(pfn),
    compoundOrder: (pfn) => m.compoundOrder(pfn),
    isHead: (pfn) => m.isHead(pfn),
    isTail: (pfn) => m.isTail(pfn),
    allocationOrder: (pfn) => m.allocationOf(pfn)?.order ?? -1,
    allocationHead: (pfn) => m.allocationOf(pfn)?.head ?? -1,
    isAllocated: (pfn) => m.isAllocated(pfn),
    gfpMask: (names) => {
      let mask = 0;
      for (const n of names) mask |= gfpValue(n);
      return mask;
    },
    flags: (pfn) => m.getFlags(pfn),
    setFlag: (pfn, bit) => m.setFlag(pfn, bit),
    clearFlag: (pfn, bit) => m.clearFlag(pfn, bit),
    pageType: (pfn) => m.pageTypeWord(pfn),
    setPageType: (pfn, type) => m.setPageType(pfn, type),
    clearPageType: (pfn, type) => m.clearPageType(pfn, type),
    setPageTypeWord: (pfn, word) => m.setPageTypeOwnerBits(pfn, word & 0xff_ffff),
    private: (pfn) => m.getPrivate(pfn),
    setPrivate: (pfn, v) => m.setPrivate(pfn, v),
    mapping: (pfn) => m.getMapping(pfn),
    setMapping: (pfn, v) => m.setMapping(pfn, v),
    newListHead: () => m.newListHead(),
    listDel: (ref) => m.listDel(ref),
    linkNext: (pfn) => m.linkNext(pfn),
    linkPrev: (pfn) => m.linkPrev(pfn),
    setLinkNext: (pfn, v) => m.setLinkNext(pfn, v),
    setLinkPrev: (pfn, v) => m.setLinkPrev(pfn, v),
    memdescWord: (pfn) => m.memdescWord(pfn),
    memdescKind: (pfn) => m.memdescKind(pfn),
    setMemdescKind: (head, kind: MemdescKindName | null) => m.setMemdescKind(head, kind ?? "misc"),
    ptdescState: (pfn) => STATES[m.ownerState(pfn)] ?? "none",
    setPtdescState: (pfn, state) => m.setOwnerState(pfn, STATES.indexOf(state)),
    markStaleIotlb: (pfn, n) => m.markStaleIotlb(pfn, n),
    iommuInvalidateAll: () => m.iommuInvalidateAll(),
    report: (v) =>
      m.reportApi({
        ...v,
        // The port's messages carry "MD### op: "; the machine adds it itself.
        message: v.message.replace(/^MD\d{3} [^:]+: /, ""),
        where: "memdesc kernel API (src/sim/kernel)",
      }),
  };
}

/** Run kernel code on machine `m`: `runOn(new Machine({ pages: 4096 }), () => { … })`. */
export function runOn<R>(m: Machine, fn: () => R): R {
  return withMachine(machinePort(m), fn);
}
