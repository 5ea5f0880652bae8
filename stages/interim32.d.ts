/**
 * Select the memdesc stage "interim32" for a whole TypeScript program: add this file
 * to the program (tsconfig "files", or `/// <reference path="node_modules/memdesc/stages/interim32.d.ts" />`).
 * `memdesc check --stage interim32` does the same for you.
 */
interface MemdescStageSelection {
  stage: "interim32";
}
