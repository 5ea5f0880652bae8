/**
 * The simulated machine's public surface (re-exported by src/sim/index.ts).
 */
export * from "./constants.js";
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
