/**
 * Random sequences of kernel-API operations — plain and compound allocations,
 * folios, page tables through their lifecycle, split_page, page types — keep
 * the machine's invariants after every step: no page in two allocations and
 * free + allocated = total (the machine's audit and counters), every
 * allocated page's memdesc word names what the API made of it, and freeing
 * everything restores the boot free-block structure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMemdesc } from "../../../src/model/memdesc-word.js";
import * as k from "../../../src/sim/index.js";

type Live =
  | { kind: "plain"; page: k.Page; order: number; comp: boolean; split: boolean }
  | { kind: "folio"; folio: k.Folio }
  | { kind: "ptdesc"; pt: k.Ptdesc; constructed: boolean };

const op = fc.oneof(
  fc.record({ t: fc.constant("alloc" as const), order: fc.integer({ min: 0, max: 4 }), comp: fc.boolean() }),
  fc.record({ t: fc.constant("folio" as const), order: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ t: fc.constant("pgtable" as const), ctor: fc.boolean(), user: fc.boolean() }),
  fc.record({ t: fc.constant("free" as const), i: fc.nat() }),
  fc.record({ t: fc.constant("split" as const), i: fc.nat() }),
  fc.record({ t: fc.constant("type" as const), i: fc.nat() }),
);

function free(l: Live): void {
  switch (l.kind) {
    case "plain":
      if (l.split) for (let p = 0; p < 2 ** l.order; p++) k.__free_page(k.nth_page(l.page, p));
      else k.__free_pages(l.page, l.order);
      return;
    case "folio":
      k.folio_put(l.folio);
      return;
    case "ptdesc":
      if (l.constructed) k.pagetable_dtor_free(l.pt);
      else k.pagetable_free(l.pt);
  }
}

/** What the memdesc word of the first page must say for each live allocation. */
function expectedType(l: Live): string {
  return l.kind === "plain" ? "Misc" : l.kind === "folio" ? "File" : "PageTable";
}

describe("kernel API property: invariants hold after every operation", () => {
  it("random operation sequences on a 1024-page machine", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const m = new k.Machine({ pages: 1024, onViolation: "throw" });
        const boot = JSON.stringify(m.bootFreeBlocks);
        const live: Live[] = [];
        k.runOn(m, () => {
          for (const o of ops) {
            switch (o.t) {
              case "alloc": {
                const page = k.alloc_pages(o.comp ? "GFP_KERNEL | __GFP_COMP" : "GFP_KERNEL", o.order);
                if (page)
                  live.push({
                    kind: "plain",
                    page,
                    order: o.order,
                    comp: o.comp && o.order > 0,
                    split: false,
                  });
                break;
              }
              case "folio": {
                const folio = k.folio_alloc(k.GFP_KERNEL, o.order);
                if (folio) live.push({ kind: "folio", folio });
                break;
              }
              case "pgtable": {
                const pt = k.pagetable_alloc(
                  o.user ? k.GFP_PGTABLE_USER : k.GFP_PGTABLE_KERNEL,
                  0,
                ) as k.Ptdesc | null;
                if (!pt) break;
                if (!o.user) k.ptdesc_set_kernel(pt);
                const constructed = o.ctor && k.pagetable_pte_ctor(o.user ? k.mm_alloc() : k.init_mm, pt);
                live.push({ kind: "ptdesc", pt, constructed });
                break;
              }
              case "free": {
                if (live.length === 0) break;
                free(live.splice(o.i % live.length, 1)[0]!);
                break;
              }
              case "split": {
                const cand = live.filter(
                  (l): l is Extract<Live, { kind: "plain" }> =>
                    l.kind === "plain" && !l.comp && !l.split && l.order > 0,
                );
                if (cand.length === 0) break;
                const l = cand[o.i % cand.length]!;
                k.split_page(l.page, l.order);
                l.split = true;
                break;
              }
              case "type": {
                const cand = live.filter(
                  (l): l is Extract<Live, { kind: "plain" }> =>
                    l.kind === "plain" && l.order === 0 && !l.split,
                );
                if (cand.length === 0) break;
                const page = cand[o.i % cand.length]!.page;
                k.__SetPageOffline(page);
                k.__ClearPageOffline(page);
                break;
              }
            }
            // Invariants after each step.
            expect(m.audit()).toEqual([]);
            const s = m.stats();
            expect(s.freePages + s.allocatedPages).toBe(1024);
            for (const l of live) {
              const head = l.kind === "plain" ? l.page : l.kind === "folio" ? l.folio : l.pt;
              const d = decodeMemdesc(k.page_memdesc(head));
              expect(d.entry.name).toBe(expectedType(l));
            }
          }
          for (const l of live.splice(0)) free(l);
          k.flush_scheduled_work();
        });
        expect(m.stats().allocatedPages).toBe(0);
        // Draining the per-CPU lists gives the buddy allocator every page back, merged as at boot.
        m.drainPcp();
        expect(JSON.stringify(m.freeBlocks())).toBe(boot);
        expect(m.takeViolations()).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
