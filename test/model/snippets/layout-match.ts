/**
 * Must pass: exact copies of today's overlays satisfy every check.
 * Compiled by test/model/layouts-compile.test.ts; excluded from tsconfig.json.
 */
import type { Assert, MatchesOk, SizeAtMost } from "../../../src/model/layouts/matches.js";
import { TODAY } from "../../../src/model/layouts/today.js";

const PTDESC = { ...TODAY.ptdesc, fields: [...TODAY.ptdesc.fields] } as const;

type _Ptdesc = Assert<MatchesOk<typeof PTDESC>>;
type _Folio = Assert<MatchesOk<typeof TODAY.folio>>;
type _Size = Assert<SizeAtMost<typeof PTDESC, 64, "sizeof(struct page)">>;
