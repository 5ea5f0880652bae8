export * from "./gfp.js";
export * from "./page.js";
export type { KernelViolation, MachinePort, PtdescState } from "./port.js";
export { withMachine } from "./port.js";
