/**
 * memdesc/sim: the simulated machine and the kernel-named API that proposed
 * kernel changes are written against (`import { alloc_pages, … } from "memdesc/sim"`).
 *
 * GFP masks here are the kernel API's C-syntax strings (GFP_KERNEL, "GFP_KERNEL | __GFP_COMP");
 * the machine's numeric GFP bits are `gfpBits` (include/linux/gfp_types.h values).
 */
export * from "./kernel/index.js";
export * as gfpBits from "./machine/gfp.js";
export {
  dumpPageTypeName,
  type FolioSnapshot,
  formatPageFlags,
  type KernelReport,
  type Ledger,
  type LedgerAllocation,
  type LedgerLeakedBlock,
  type LedgerOrphanRun,
  Machine,
  type MachineConfig,
  type MachineOptions,
  type MachineStats,
  MachineViolationError,
  type PageSnapshot,
  type PageStateName,
  type PcpConfig,
  type PoolStats,
  renderDump,
  renderLedger,
  renderViolation,
  type StructPageView,
  type Violation,
  type ViolationOutcome,
} from "./machine/index.js";
