/**
 * Kept only so that existing imports of `runOn` from this path keep working
 * (src/check/run.ts): `Machine` implements the kernel API's port itself, so
 * there is no adapter any more (decision 0210). Import `runOn` from ./port.js.
 */
export { runOn } from "./port.js";
