/**
 * Pointer members typed by their C type (src/model/handles.ts PointerMember), and the members of
 * a separate descriptor at the later stages (src/model/layouts/derive.ts DerivedField): compiled
 * at every stage by test/sim/kernel/pointer-members.test.ts; the marked lines must fail with
 * exactly that code at every stage (and, at today, that text: test/sim/kernel/snippets.test.ts).
 * Excluded from tsconfig.json.
 */
import { alloc_zpdesc, GFP_KERNEL, mm_alloc, pagetable_alloc, type Zpdesc } from "memdesc/sim";

interface zspage {
  first_zpdesc: Zpdesc | null;
}

export function scenario_members(): void {
  const a = alloc_zpdesc(GFP_KERNEL, -1);
  const b = alloc_zpdesc(GFP_KERNEL, -1);
  if (!a || !b) return;
  const zs: zspage = { first_zpdesc: a };
  a.next = b; // struct zpdesc *next: a zpdesc handle
  a.zspage = zs; // struct zspage *zspage: an object the model has no handle for
  const next: Zpdesc | null = a.next;
  void next;
  const offset: number = a.first_obj_offset; // a member of the separate zpdesc is typed, not never
  void offset;
  const wrong: string = a.first_obj_offset; // @expect-error TS2322 Type 'number' is not assignable to type 'string'.
  void wrong;
  a.next = "b"; // @expect-error TS2322 Type 'string' is not assignable to type
  const pt = pagetable_alloc(GFP_KERNEL, 0);
  if (!pt) return;
  pt.pt_mm = mm_alloc(); // struct mm_struct *pt_mm
}
