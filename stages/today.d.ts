/**
 * Select the memdesc stage "today" for a whole TypeScript program: add this file
 * to the program (tsconfig "files", or `/// <reference path="node_modules/memdesc/stages/today.d.ts" />`).
 * `memdesc check --stage today` does the same for you.
 */
interface MemdescStageSelection {
  stage: "today";
}
