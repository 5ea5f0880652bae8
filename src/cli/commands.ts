import type { Command } from "@commander-js/extra-typings";
import { registerCheck } from "./check.js";
import { registerDecode } from "./decode.js";
import { registerLayout } from "./layout.js";

/** Every CLI command registers itself through one function of this shape. */
export type RegisterCommand = (program: Command) => void;

/** The command list. Add one import and one entry per command module. */
export const commands: readonly RegisterCommand[] = [registerCheck, registerDecode, registerLayout];
