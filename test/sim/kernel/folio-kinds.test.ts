/**
 * page_folio() and virt_to_folio() of memory of every kind the default
 * memdesc table can make: a page whose memdesc points at another descriptor
 * (slab, ptdesc, zpdesc, netpool, hwpoison, pcpudesc) has no folio — MD006,
 * the same finding for each — while file, anon and KSM memory are folios and
 * plain pages keep today's answer (src/model/kinds.ts pageFolio, decision
 * 0320). The expected lists are written by hand from the Memdescs wiki source
 * table and include/linux/page-flags.h, not read from the kind table.
 */
import { describe, expect, it } from "vitest";
import type { MemdescKindName } from "../../../src/model/memdesc-word.js";
import {
  __free_pages,
  alloc_pages,
  GFP_KERNEL,
  Machine,
  type Page,
  page_address,
  page_folio,
  page_to_pfn,
  runOn,
  virt_to_folio,
} from "../../../src/sim/index.js";

/** Kinds with a descriptor that is not a folio: refused, by hand. */
const REFUSED: readonly MemdescKindName[] = ["slab", "zpdesc", "ptdesc", "netpool", "hwpoison", "pcpudesc"];
/** Folios (File, Anon, KSM) and plain pages (Misc): allowed, by hand. */
const ALLOWED: readonly MemdescKindName[] = ["folio", "anon_folio", "ksm", "misc"];

function convert(kind: MemdescKindName, how: "page_folio" | "virt_to_folio") {
  const m = new Machine({ pages: 256, onViolation: "collect" });
  let pfn = -1;
  runOn(m, () => {
    const page = alloc_pages(GFP_KERNEL, 0)!;
    pfn = page_to_pfn(page);
    m.setMemdescKind("test", pfn, kind);
    const p = page as unknown as Page; // the compiler no longer knows the kind
    if (how === "page_folio") page_folio(p);
    else virt_to_folio(page_address(p) as never);
    m.setMemdescKind("test", pfn, "misc");
    __free_pages(page, 0);
  });
  return { pfn, violations: m.takeViolations() };
}

describe("page_folio() refuses memory whose descriptor is not a folio (MD006)", () => {
  for (const how of ["page_folio", "virt_to_folio"] as const) {
    for (const kind of REFUSED) {
      it(`${how} of ${kind} memory`, () => {
        const { pfn, violations } = convert(kind, how);
        expect(violations.map((v) => [v.rule, v.op, v.expected, v.got, v.message])).toEqual([
          [
            "MD006",
            "page_folio",
            "folio",
            kind,
            `MD006 page_folio: pfn 0x${pfn.toString(16)} is ${kind} memory, not a folio`,
          ],
        ]);
      });
    }
    for (const kind of ALLOWED) {
      it(`${how} of ${kind} memory is allowed`, () => {
        expect(convert(kind, how).violations).toEqual([]);
      });
    }
  }
});
