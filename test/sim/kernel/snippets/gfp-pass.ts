/**
 * Must pass: GFP masks as the kernel writes them, and what the compiler reads from each.
 * Compiled by test/sim/kernel/snippets.test.ts; excluded from tsconfig.json.
 */
import {
  __free_pages,
  __GFP_ACCOUNT,
  __GFP_COMP,
  __GFP_MOVABLE,
  __GFP_ZERO,
  alloc_pages,
  GFP_KERNEL,
  type GFP_PGTABLE_KERNEL,
  type GFP_PGTABLE_USER,
  type GFP_TRANSHUGE,
  type GFP_TRANSHUGE_LIGHT,
  type GfpHasAccount,
  type GfpHasComp,
  type gfp_t,
  page_folio,
  type struct_page,
} from "memdesc/sim";

type Is<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const yes = <T extends true>(): T | undefined => undefined;

// A single constant keeps its name in the type.
yes<Is<GfpHasComp<typeof GFP_KERNEL>, false>>();
yes<Is<GfpHasComp<typeof GFP_TRANSHUGE>, true>>();
yes<Is<GfpHasComp<typeof GFP_TRANSHUGE_LIGHT>, true>>();
yes<Is<GfpHasAccount<typeof GFP_PGTABLE_USER>, true>>();
yes<Is<GfpHasAccount<typeof GFP_PGTABLE_KERNEL>, false>>();
// C-expression strings and templates, with C precedence.
yes<Is<GfpHasComp<"GFP_KERNEL | __GFP_COMP">, true>>();
yes<Is<GfpHasComp<`${typeof GFP_KERNEL} | __GFP_COMP`>, true>>();
yes<Is<GfpHasComp<`${gfp_t} | __GFP_COMP`>, true>>();
yes<Is<GfpHasComp<`${gfp_t} & ~__GFP_COMP`>, false>>();
yes<Is<GfpHasComp<"GFP_TRANSHUGE & ~__GFP_COMP">, false>>();
yes<Is<GfpHasComp<"__GFP_COMP | GFP_KERNEL & ~__GFP_COMP">, true>>();
yes<Is<GfpHasComp<"(GFP_KERNEL | __GFP_COMP) & ~__GFP_MOVABLE">, true>>();
yes<Is<GfpHasComp<"(GFP_KERNEL | __GFP_COMP) & ~__GFP_COMP">, false>>();
yes<Is<GfpHasAccount<"GFP_PGTABLE_USER & ~__GFP_ACCOUNT">, false>>();
yes<Is<GfpHasAccount<"GFP_KERNEL_ACCOUNT">, true>>();
// A mask the compiler cannot read: it says nothing.
yes<Is<GfpHasComp<gfp_t>, boolean>>();
yes<Is<GfpHasComp<`${gfp_t}`>, boolean>>();
yes<Is<GfpHasComp<`${typeof GFP_KERNEL} & ~${gfp_t}`>, false>>();
yes<Is<GfpHasComp<`${typeof GFP_TRANSHUGE} & ~${gfp_t}`>, boolean>>();

// Numeric expressions, exactly as in C.
export function numeric(gfp: gfp_t): void {
  const a = alloc_pages(gfp & ~__GFP_ZERO, 2);
  const b = alloc_pages(GFP_KERNEL & ~__GFP_MOVABLE, 0);
  let c = gfp;
  c &= ~__GFP_ACCOUNT;
  const d = alloc_pages(c | __GFP_COMP, 1);
  if (a) __free_pages(a, 2);
  if (b) __free_pages(b, 0);
  if (d) page_folio(d); // compound-ness unknown at compile time: no finding
}

// A gfp_t parameter spliced into a template: known compound, so page_folio is fine.
export function compound(gfp: gfp_t, order: number): struct_page | null {
  const page = alloc_pages(`${gfp} | __GFP_COMP`, 2);
  if (!page) return null;
  page_folio(page);
  return alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, order);
}
