/** The kernel-named API, re-exported by memdesc/sim. */

export type {
  Folio,
  KernelAddress,
  list_head,
  Meta,
  Page,
  Ptdesc,
  Slab,
  Zpdesc,
} from "../../model/handles.js";
export { machinePort, runOn } from "./adapter.js";
export * from "./arch/x86.js";
export * from "./descriptors.js";
export * from "./folio.js";
export * from "./gfp.js";
export * from "./list.js";
export * from "./memdesc.js";
export * from "./mm.js";
export { PAGE_OFFSET, PAGE_SHIFT, PAGE_SIZE, PMD_ORDER, PMD_SHIFT, PMD_SIZE } from "./objects.js";
export * from "./owner-fields.js";
export * from "./page.js";
export * from "./page-type.js";
export * from "./pgtable.js";
export type { KernelViolation, MachinePort, PtdescState } from "./port.js";
export { withMachine } from "./port.js";
export * from "./slab.js";
export * from "./work.js";
