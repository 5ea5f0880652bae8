/**
 * The simulated machine's public surface (re-exported by src/sim/index.ts).
 */
export {
  FOLIO_MAPPING_ANON,
  FOLIO_MAPPING_ANON_KSM,
  FOLIO_MAPPING_FLAGS,
  FOLIO_MAPPING_KSM,
  HPAGE_PMD_ORDER,
  LINK_DEFERRED_LIST_EMPTY,
  LINK_FOLIO_LARGE_MAPCOUNT_INIT,
  LINK_NULL,
  LINK_TAIL_BIAS,
  LIST_HEAD_BASE,
  LIST_POISON1,
  LIST_POISON2,
  MAPPING_DEFERRED_LIST_EMPTY,
  MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT,
  MAPPING_NULL,
  MAPPING_RESERVED_MIN,
  MAX_MACHINE_PAGES,
  MAX_PAGE_ORDER,
  MISC_ORDER_MASK,
  mappingOf,
  NR_PAGE_ORDERS,
  PAGE_ALLOC_COSTLY_ORDER,
  PAGE_OFFSET,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_UNTYPED,
  PCP_ORDERS,
  POISON_POINTER_DELTA,
  STRUCT_PAGE_BYTES,
  TAIL_MAPPING,
  VMEMMAP_START,
} from "./constants.js";
export type { PoolStats } from "./descriptors.js";
export * from "./gfp.js";
export type { Ledger, LedgerAllocation, LedgerLeakedBlock, LedgerOrphanRun } from "./ledger.js";
export { renderLedger } from "./ledger.js";
export { ListCorruptionError } from "./list-debug.js";
export { Machine, type MachineStats, type StructPageView } from "./machine.js";
export type { MachineConfig, MachineOptions } from "./options.js";
export {
  dumpPageTypeName,
  formatPageFlags,
  type KernelReport,
  MachineViolationError,
  renderDump,
  renderViolation,
  type Violation,
  type ViolationOutcome,
} from "./report.js";
export type { FolioSnapshot, PageSnapshot, PageStateName } from "./snapshot.js";
export { pageAddress } from "./struct-page.js";
export { defaultPcpConfig, type PcpConfig, zoneBatchsize } from "./zone.js";
