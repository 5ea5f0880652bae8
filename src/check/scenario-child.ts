/**
 * The child process of `memdesc check --run` (decision 0502): it loads the
 * user's file, runs its scenarios one by one on fresh simulated machines and
 * sends each result to the parent over IPC. The parent (src/check/run.ts)
 * enforces the wall-clock limit and the memory limit by ending this process;
 * here, everything user code can do to the process is caught and reported
 * against the scenario that did it: writes to stdout/stderr (captured into
 * the result), process.exit(), an exception thrown by a timer or callback, an
 * unhandled promise rejection.
 *
 * The scenarios run on the `memdesc/sim` the user's file imports — the same
 * module instance, loaded in the same tsx namespace — so the machine, the
 * work queue that is flushed at the end and the leak ledger are the ones the
 * user's calls changed.
 */
import { z } from "zod";
import { ruleIdIn } from "../model/rules.js";
import * as ownSim from "../sim/index.js";
import { groupViolations, repeatsLine } from "../sim/machine/report.js";
import type { ScenarioResult } from "./report.js";

/** What a file may say about the machines its scenarios run on. */
export const ScenarioMachineSchema = z
  .object({
    pages: z.number().int().min(1024).max(4_194_304).optional(),
    iommuSva: z.boolean().optional(),
    asyncKernelPgtableFree: z.boolean().optional(),
    debugVm: z.boolean().optional(),
  })
  .strict();
export type ScenarioMachine = z.infer<typeof ScenarioMachineSchema>;

/** The pseudo-scenario that stands for the file's module-level code. */
export const MODULE_SCENARIO = "(module)";

/** 16 MiB: room for a few order-9 blocks, cheap to create per scenario. */
export const DEFAULT_SCENARIO_PAGES = 4096;

/** Captured output kept per scenario; the rest is counted. */
export const OUTPUT_LIMIT = 16 * 1024;

/** Parent → child. */
export interface ChildRequest {
  readonly file: string;
  /** Scenarios already reported (a previous child was stopped in the middle). */
  readonly skip: readonly string[];
}

/** Child → parent. */
export type ChildMessage =
  | { readonly type: "loaded"; readonly names: readonly string[] }
  | { readonly type: "start"; readonly name: string }
  | { readonly type: "result"; readonly result: ScenarioResult }
  | { readonly type: "done" };

type Sim = typeof ownSim;

/** Thrown in place of process.exit() so that user code cannot end the run. */
class ScenarioExit extends Error {
  override readonly name = "ScenarioExit";
}

interface Current {
  name: string;
  output: string;
  dropped: number;
  problems: string[];
  /** Opaque constructs of a C translation reached (src/c: `__opaque()` calls the hook below). */
  opaque: Set<string>;
}

/** Distinct opaque constructs kept per scenario. */
export const OPAQUE_LIMIT = 100;

const fresh = (name: string): Current => ({ name, output: "", dropped: 0, problems: [], opaque: new Set() });
let current: Current = fresh(MODULE_SCENARIO);

function noteOpaque(what: unknown): void {
  if (current.opaque.size < OPAQUE_LIMIT) current.opaque.add(String(what));
}

function capture(chunk: unknown): boolean {
  const s = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
  const room = OUTPUT_LIMIT - current.output.length;
  if (s.length <= room) current.output += s;
  else {
    current.output += s.slice(0, Math.max(0, room));
    current.dropped += s.length - Math.max(0, room);
  }
  return true;
}

/** The user's frames of a stack: `file:line:column` of the checked file, the rest trimmed. */
export function userFrames(stack: string | undefined, file: string): string[] {
  if (!stack) return [];
  const out: string[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const m = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    const fn = m[1]?.replace(/^Module\./, "");
    const loc = m[2]!;
    // A file tsx loads as CommonJS from an ES module runs from a data: URL without a source
    // map (tsx 4.23): the file is known (its filePath parameter), its line is not.
    const viaData = /[?&]filePath=([^&:]*)/.exec(loc);
    if (loc.startsWith("data:") && viaData) {
      if (decodeURIComponent(viaData[1]!).replace(/\?.*$/, "") === file)
        out.push(`${fn ? `${fn} ` : ""}(${file})`);
      continue;
    }
    const where = decodeURIComponent(loc.replace(/^file:\/\//, "").replace(/\?.*$/, ""));
    if (where !== file) continue;
    out.push(`${fn ? `${fn} ` : ""}(${file}:${m[3]}:${m[4]})`);
  }
  return out;
}

function describeThrown(err: unknown, file: string): { error: string; stack: string[] } {
  // One line: a message's first line (Node adds "Require stack:" and the like below it).
  const first = (text: string) => text.split("\n")[0]!.trim();
  const head = err instanceof Error ? `${err.name}: ${first(err.message)}` : `threw ${first(String(err))}`;
  const stack = err instanceof Error ? userFrames(err.stack, file) : [];
  const at = stack[0]?.replace(/^.*\((.*)\)$/, "$1");
  return { error: at ? `${head} (at ${at})` : head, stack };
}

function send(msg: ChildMessage): Promise<void> {
  return new Promise((done) => {
    process.send?.(msg, undefined, {}, () => done());
  });
}

/** Let zero-delay timers, immediates and microtasks queued by the scenario run (and throw) now. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
  }
}

async function loadFile(file: string): Promise<{ mod: Record<string, unknown>; sim: Sim }> {
  // memdesc/<layer> is this checker's own copy, the user's tsconfig is not read (resolve-api.ts).
  // The file's sim and ours share the current machine and its kernel state through registered
  // symbols (src/sim/kernel/port.ts, state.ts), so flushing work and reading the ledger here
  // act on what the file's calls did.
  const { importUserFile } = await import("./resolve-api.js");
  return { mod: await importUserFile(file), sim: ownSim };
}

function result(
  name: string,
  fields: Partial<ScenarioResult> & Pick<ScenarioResult, "outcome">,
): ScenarioResult {
  const out: ScenarioResult = {
    name,
    violations: [],
    leaks: [],
    error: null,
    ...fields,
  };
  const extra = current.problems.length > 0 ? current.problems.join("; ") : null;
  if (extra) {
    out.error = out.error ? `${out.error}; ${extra}` : extra;
    out.outcome = "error";
  }
  if (current.opaque.size > 0) out.opaqueCalls = [...current.opaque];
  if (current.output !== "" || current.dropped > 0) {
    out.output =
      current.dropped > 0
        ? `${current.output}\n[${current.dropped} more characters not kept]`
        : current.output;
  }
  return out;
}

/**
 * A rule's run-time form that throws (an owner-field definition, a memdesc word: the message
 * starts with the rule ID) is that rule's violation, not a crash — at module level and in a
 * scenario alike (a C file has no module-level code: its calls are in functions).
 */
function thrownViolation(err: unknown, op: string) {
  const message = (err as Error)?.message ?? String(err);
  const rule = ruleIdIn(message);
  return rule && message.startsWith(rule)
    ? { rule, op, pfn: null, message, report: message, block: null, repeats: [], repeatsText: null }
    : null;
}

async function runFile(req: ChildRequest): Promise<void> {
  const { file } = req;
  let loaded: { mod: Record<string, unknown>; sim: Sim };
  try {
    loaded = await loadFile(file);
    await settle();
  } catch (err) {
    // Module-level code is kernel code too: a rule's run-time form that fires while the file
    // loads (an owner-field definition, a memdesc word) is that rule's violation, not a crash.
    const v = thrownViolation(err, MODULE_SCENARIO);
    if (v) {
      await send({
        type: "result",
        result: result(MODULE_SCENARIO, { outcome: "violations", violations: [v] }),
      });
    } else {
      const d = describeThrown(err, file);
      await send({
        type: "result",
        result: result(MODULE_SCENARIO, {
          outcome: "error",
          error: `loading the file failed: ${d.error}`,
          ...(d.stack.length > 0 ? { stack: d.stack } : {}),
        }),
      });
    }
    return;
  }
  const { mod, sim } = loaded;
  const parsed = ScenarioMachineSchema.safeParse(mod.machine ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = `export const machine: ${issue?.path.join(".") || "value"}: ${issue?.message}`;
    await send({ type: "result", result: result("(machine)", { outcome: "error", error }) });
    return;
  }
  if (current.output !== "" || current.problems.length > 0 || current.opaque.size > 0) {
    await send({ type: "result", result: result(MODULE_SCENARIO, { outcome: "ok" }) });
  }
  const cfg = parsed.data;
  const names = Object.entries(mod)
    .filter(([name, fn]) => name.startsWith("scenario_") && typeof fn === "function")
    .map(([name]) => name);
  await send({ type: "loaded", names });
  for (const name of names) {
    if (req.skip.includes(name)) continue;
    current = fresh(name);
    await send({ type: "start", name });
    const machine = new sim.Machine({
      pages: cfg.pages ?? DEFAULT_SCENARIO_PAGES,
      debugVm: cfg.debugVm ?? true,
      iommuSva: cfg.iommuSva ?? false,
      asyncKernelPgtableFree: cfg.asyncKernelPgtableFree ?? false,
      onViolation: "collect",
      trackAllocSites: true,
    });
    let crash: { error: string; stack: string[] } | null = null;
    let thrown: ReturnType<typeof thrownViolation> = null;
    let returned: unknown;
    sim.runOn(machine, () => {
      try {
        returned = (mod[name] as () => unknown)();
      } catch (err) {
        thrown = thrownViolation(err, name);
        if (!thrown && !(err instanceof ScenarioExit)) crash = describeThrown(err, file);
      }
      // Work still queued when the scenario ends runs before the leak ledger is
      // read, as the kernel's worker would run it (issue 8, item 4). It must run
      // inside the same runOn(): the work queue belongs to that machine port.
      try {
        sim.flush_scheduled_work();
      } catch (err) {
        if (!(err instanceof ScenarioExit)) crash ??= describeThrown(err, file);
      }
    });
    if (returned && typeof (returned as PromiseLike<unknown>).then === "function") {
      try {
        await returned;
      } catch (err) {
        if (!(err instanceof ScenarioExit)) crash ??= describeThrown(err, file);
      }
    }
    await settle();
    // A cascade (one bad free, its consequence on every tail) is one finding with its repeats.
    const violations = [
      ...groupViolations(machine.takeViolations()).map((g) => ({
        rule: g.first.rule,
        op: g.first.op,
        pfn: g.first.pfn,
        message: g.first.message,
        report: sim.renderViolation(g.first, { headline: false }),
        block: g.first.block ?? null,
        repeats: g.repeats.map((r) => ({ pfn: r.pfn, message: r.message })),
        repeatsText: repeatsLine(g),
      })),
      ...(thrown ? [thrown] : []),
    ];
    const ledger = machine.ledger();
    const leaks =
      ledger.allocations.length + ledger.orphanedTails.length + ledger.leaked.length > 0
        ? sim
            .renderLedger(ledger)
            .split("\n")
            .filter((l) => l.trim() !== "")
        : [];
    const outcome = crash ? "error" : violations.length > 0 || leaks.length > 0 ? "violations" : "ok";
    await send({
      type: "result",
      result: result(name, {
        outcome,
        violations,
        leaks,
        error: crash?.error ?? null,
        ...(crash && crash.stack.length > 0 ? { stack: crash.stack } : {}),
      }),
    });
  }
}

/** Entry of the child process: wait for one request, run it, report, and wait to be ended. */
export async function runChild(): Promise<void> {
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  (globalThis as { __memdescOpaque?: (what: unknown) => void }).__memdescOpaque = noteOpaque;
  process.exit = ((code?: number | string | null) => {
    current.problems.push(`called process.exit(${code ?? ""}) (the run went on)`);
    throw new ScenarioExit(`process.exit(${code ?? ""})`);
  }) as typeof process.exit;
  process.on("uncaughtException", (err) => {
    if (err instanceof ScenarioExit) return;
    const d = describeThrown(err, current.name === MODULE_SCENARIO ? "" : filePath);
    current.problems.push(`an exception escaped to the event loop (a timer or callback): ${d.error}`);
  });
  process.on("unhandledRejection", (reason) => {
    const d = describeThrown(reason, filePath);
    current.problems.push(`unhandled promise rejection: ${d.error}`);
  });
  const req = await new Promise<ChildRequest>((resolve) =>
    process.once("message", (m) => resolve(m as ChildRequest)),
  );
  filePath = req.file;
  await runFile(req);
  await send({ type: "done" });
  process.disconnect?.();
}

let filePath = "";
