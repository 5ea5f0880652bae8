/**
 * `memdesc check --run`: execute a checked file's scenarios on the simulated
 * machine, in a child process (decision 0502). A scenario is an exported
 * function whose name starts with `scenario_`; each runs on a fresh machine
 * (CONFIG_DEBUG_VM on, violations collected, allocation sites tracked), then
 * pending work items run (flush_scheduled_work, as the kernel's worker
 * would), then the leak ledger is read. A file may export
 * `const machine = { pages?, iommuSva?, asyncKernelPgtableFree?, debugVm? }`
 * to configure its machines.
 *
 * The user's code runs with the user's rights but never in memdesc's own
 * process: a child Node (src/check/scenario-child.ts) loads the file and
 * runs the scenarios, and this side enforces a wall-clock limit per scenario
 * and a memory limit by ending the child. A scenario that is stopped, or
 * that ends the child in any way, is reported against its name, and a new
 * child runs the scenarios after it. Module state (a static LIST_HEAD, a
 * work item) is shared by the scenarios one child runs, as statics survive
 * in a kernel; after a stopped scenario the file is loaded afresh.
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScenarioResult } from "./report.js";
import { type ChildMessage, type ChildRequest, MODULE_SCENARIO } from "./scenario-child.js";

export type { ScenarioMachine } from "./scenario-child.js";
export { DEFAULT_SCENARIO_PAGES, MODULE_SCENARIO, ScenarioMachineSchema } from "./scenario-child.js";

/** Seconds a scenario may run (wall clock) before it is stopped and reported. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** Memory a scenario child may use (V8 heap limit, and resident set checked by the parent). */
export const DEFAULT_MEMORY_MIB = 2048;

export interface RunLimits {
  /** Wall-clock seconds per scenario. */
  readonly timeoutSeconds?: number;
  /** MiB for the child's heap and resident set. */
  readonly memoryMiB?: number;
}

/** The package root (where package.json names memdesc), from this module's own location. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "memdesc") return dir;
      } catch {
        // keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("memdesc: cannot find the package root to start the scenario runner");
    dir = up;
  }
}

/** The CLI entry the child runs (in its scenario-child role), and the Node flags it needs. */
function childEntry(memoryMiB: number): { entry: string; execArgv: string[] } {
  const root = packageRoot();
  const heap = `--max-old-space-size=${memoryMiB}`;
  if (import.meta.url.endsWith(".ts")) {
    // From the sources (tests, npm run memdesc): the child needs tsx to load .ts itself.
    const tsx = createRequire(import.meta.url).resolve("tsx/esm");
    return { entry: join(root, "src/cli/main.ts"), execArgv: ["--import", tsx, heap] };
  }
  return { entry: join(root, "dist/cli/main.js"), execArgv: [heap] };
}

/** The resident set of a process in MiB, from /proc (Linux), or null. */
function residentMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const ended = (name: string, error: string, output: string): ScenarioResult => ({
  name,
  outcome: "error",
  violations: [],
  leaks: [],
  error,
  ...(output !== "" ? { output } : {}),
});

/** One child run: results for the scenarios it finished, and whether the file has scenarios left. */
async function runChildOnce(
  file: string,
  skip: readonly string[],
  limits: Required<RunLimits>,
): Promise<{ results: ScenarioResult[]; names: readonly string[] | null; finished: boolean }> {
  const { entry, execArgv } = childEntry(limits.memoryMiB);
  const child: ChildProcess = fork(entry, [], {
    execArgv,
    env: { ...process.env, MEMDESC_SCENARIO_CHILD: "1", NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
  });
  const results: ScenarioResult[] = [];
  let names: readonly string[] | null = null;
  let currentName = MODULE_SCENARIO;
  let raw = "";
  let stop: string | null = null;
  let finished = false;
  const onRaw = (b: Buffer) => {
    if (raw.length < 16 * 1024) raw += b.toString("utf8");
  };
  child.stdout?.on("data", onRaw);
  child.stderr?.on("data", onRaw);

  let timer: NodeJS.Timeout | undefined;
  const arm = (seconds: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stop = `timed out: still running after ${limits.timeoutSeconds} s (${what}; --timeout ${limits.timeoutSeconds}), stopped`;
      child.kill("SIGKILL");
    }, seconds * 1000);
  };
  // Loading the file (Node start-up, tsx, the module's top-level code) gets more room than a scenario.
  arm(limits.timeoutSeconds * 3 + 20, "loading the file");
  const rss = setInterval(() => {
    const mib = child.pid !== undefined ? residentMiB(child.pid) : null;
    if (mib !== null && mib > limits.memoryMiB) {
      stop = `out of memory: used more than ${limits.memoryMiB} MiB (the scenario memory limit), stopped`;
      child.kill("SIGKILL");
    }
  }, 200);

  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  child.on("message", (m: ChildMessage) => {
    switch (m.type) {
      case "loaded":
        names = m.names;
        clearTimeout(timer);
        break;
      case "start":
        currentName = m.name;
        raw = "";
        arm(limits.timeoutSeconds, `scenario ${m.name}`);
        break;
      case "result": {
        clearTimeout(timer);
        const r = m.result;
        const stray = raw.trim() === "" ? "" : raw;
        raw = "";
        results.push(stray ? { ...r, output: `${r.output ?? ""}${stray}` } : r);
        currentName = MODULE_SCENARIO;
        break;
      }
      case "done":
        finished = true;
        clearTimeout(timer);
        child.kill("SIGKILL");
        break;
    }
  });
  child.on("error", () => {});
  const request: ChildRequest = { file, skip };
  child.send(request);
  const { code, signal } = await exit;
  clearTimeout(timer);
  clearInterval(rss);
  if (!finished) {
    const why =
      stop ??
      (signal === "SIGABRT" || code === 134 || /heap out of memory/i.test(raw)
        ? `out of memory: the JavaScript heap limit (${limits.memoryMiB} MiB) was reached`
        : signal
          ? `the process running it was ended by ${signal}`
          : `the process running it exited with code ${code} before the scenario finished`);
    results.push(ended(currentName, why, stop ? raw : ""));
  }
  return { results, names, finished };
}

/** Run every scenario of `file`, each in a child process with the limits; always resolves. */
export async function runScenarios(file: string, limits: RunLimits = {}): Promise<ScenarioResult[]> {
  const full: Required<RunLimits> = {
    timeoutSeconds: limits.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMiB: limits.memoryMiB ?? DEFAULT_MEMORY_MIB,
  };
  const results: ScenarioResult[] = [];
  const done = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    const run = await runChildOnce(file, [...done], full);
    for (const r of run.results) {
      if (r.name === MODULE_SCENARIO && attempt > 0 && r.outcome === "ok") continue;
      results.push(r);
      done.add(r.name);
    }
    if (run.finished || run.names === null) break;
    const left = run.names.filter((n) => !done.has(n));
    if (left.length === 0 || attempt > run.names.length) break;
  }
  return results;
}
