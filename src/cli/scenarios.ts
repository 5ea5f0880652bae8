/**
 * `memdesc check --run`: load a checked file and run each exported scenario
 * on a fresh simulated machine. Filled in when the machine lands.
 */
import type { ScenarioResult } from "../check/report.js";

export async function runScenarios(_file: string): Promise<ScenarioResult[]> {
  throw new Error("--run is not available yet");
}
