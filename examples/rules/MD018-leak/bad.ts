// MD018: every allocation is freed. The leak ledger at the end of the run lists what was not.
import { alloc_pages, GFP_KERNEL } from "memdesc/sim";

export function scenario_forget_to_free() {
  // expect-run MD018
  const page = alloc_pages(GFP_KERNEL, 1);
  return page !== null;
}
