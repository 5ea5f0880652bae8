import type { Command } from "@commander-js/extra-typings";
import { registerCensus } from "./census.js";
import { registerCheck } from "./check.js";
import { registerDecode } from "./decode.js";
import { registerLayout } from "./layout.js";
import { registerSnapshot } from "./snapshot.js";
import { registerTranslate } from "./translate.js";

/** Every CLI command registers itself through one function of this shape. */
export type RegisterCommand = (program: Command) => void;

/** The command list. Add one import and one entry per command module. */
export const commands: readonly RegisterCommand[] = [
  registerCheck,
  registerCensus,
  registerSnapshot,
  registerDecode,
  registerLayout,
  registerTranslate,
];
