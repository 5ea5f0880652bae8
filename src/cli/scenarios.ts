/** `memdesc check --run` (loaded only when --run is given: it brings the machine and tsx). */
export { runScenarios } from "../check/run.js";
