/**
 * Select the memdesc stage "interim16" for a whole TypeScript program: add this file
 * to the program (tsconfig "files", or `/// <reference path="node_modules/memdesc/stages/interim16.d.ts" />`).
 * `memdesc check --stage interim16` does the same for you.
 */
interface MemdescStageSelection {
  stage: "interim16";
}
