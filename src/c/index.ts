/**
 * The kernel C front end: parse C (tree-sitter), translate onto the
 * kernel-named API of memdesc/sim, map findings back to C lines.
 */
export { DEFAULT_CONFIG, type KernelConfig, makeConfig, parseConfigOption, parseKconfig } from "./config.js";
export {
  type FunctionInfo,
  type OpaqueUse,
  SIM_NAMES,
  type TranslateOptions,
  type Translation,
  translateC,
} from "./translate.js";
