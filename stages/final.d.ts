/**
 * Select the memdesc stage "final" for a whole TypeScript program: add this file
 * to the program (tsconfig "files", or `/// <reference path="node_modules/memdesc/stages/final.d.ts" />`).
 * `memdesc check --stage final` does the same for you.
 */
interface MemdescStageSelection {
  stage: "final";
}
