/**
 * Must fail: a copy of today's struct ptdesc with pt_memcg_data moved from 56
 * (on page->memcg_data) to 48 (on page->page_type). The compile-time
 * TABLE_MATCH check must reject it on the marked line.
 * Compiled by test/model/layouts-compile.test.ts; excluded from tsconfig.json.
 */
import type { Assert, MatchesOk, SizeAtMost } from "../../../src/model/layouts/matches.js";
import { TODAY } from "../../../src/model/layouts/today.js";

const WRONG_PTDESC = {
  ...TODAY.ptdesc,
  fields: [
    ...TODAY.ptdesc.fields.filter((f) => f.name !== "pt_memcg_data"),
    {
      name: "pt_memcg_data",
      offset: 48,
      size: 8,
      ctype: "unsigned long",
      ts: "ulong",
      matches: "memcg_data",
      config: "CONFIG_MEMCG",
    },
  ],
} as const;

type _Wrong = Assert<MatchesOk<typeof WRONG_PTDESC>>; // @expect-error TS2344 TABLE_MATCH(memcg_data, pt_memcg_data)

/** And a folio whose second page is shifted by one word. */
const WRONG_FOLIO = {
  ...TODAY.folio,
  fields: [
    ...TODAY.folio.fields.filter((f) => f.name !== "_head_1"),
    {
      name: "_head_1",
      offset: 80,
      size: 8,
      ctype: "unsigned long",
      ts: "ulong",
      matches: "page[1].compound_info",
    },
  ],
} as const;

type _WrongFolio = Assert<MatchesOk<typeof WRONG_FOLIO>>; // @expect-error TS2344 FOLIO_MATCH(compound_info, _head_1)

/** And a ptdesc that grew past struct page. */
const BIG_PTDESC = { ...TODAY.ptdesc, size: 72 } as const;

type _Big = Assert<SizeAtMost<typeof BIG_PTDESC, 64, "sizeof(struct page)">>; // @expect-error TS2344 static_assert(sizeof(struct ptdesc) <= sizeof(struct page)): 72 > 64
