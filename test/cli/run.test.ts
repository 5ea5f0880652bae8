/**
 * `memdesc check --run` runs user code in a child process (issue 12, decision
 * 0502): a loop is stopped by --timeout, process.exit(), output, rejections
 * and throwing timers are reported against their scenario, and --json stays
 * one valid document. A crash is a finding, after the findings before it,
 * with the user's file:line (issue 8). Without --run nothing of the file runs.
 * Expected lines and columns are read off the fixtures by hand.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckReportSchema } from "../../src/check/report.js";
import { badInputLine, memdesc, ROOT } from "./spawn.js";

const HOSTILE = join(ROOT, "test/fixtures/run/hostile.ts");
const tmp = mkdtempSync(join(tmpdir(), "memdesc-run-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("hostile scenarios", () => {
  const started = Date.now();
  const r = memdesc(["check", HOSTILE, "--run", "--json", "--stage", "today", "--timeout", "3"]);
  const wall = (Date.now() - started) / 1000;
  const report = CheckReportSchema.parse(JSON.parse(r.stdout));
  const byName = new Map((report.files[0]?.scenarios ?? []).map((s) => [s.name, s]));
  const scenario = (name: string) => {
    const s = byName.get(name);
    if (!s) throw new Error(`no result for ${name}: ${r.stdout}`);
    return s;
  };

  it("every scenario is reported, stdout is one valid JSON document, exit 1", () => {
    expect(r.code, r.stderr).toBe(1);
    expect([...byName.keys()]).toEqual([
      "scenario_a_loops",
      "scenario_b_exits",
      "scenario_c_prints",
      "scenario_d_rejects",
      "scenario_e_timer_throws",
      "scenario_f_crashes_after_a_finding",
      "scenario_g_ok",
    ]);
    // Start-up and the compile dominate; the loop costs its 3 s, not the default 10.
    expect(wall).toBeLessThan(120);
  });
  it("an infinite loop is stopped by --timeout and named", () => {
    expect(scenario("scenario_a_loops")).toMatchObject({ outcome: "error" });
    expect(scenario("scenario_a_loops").error).toMatch(
      /^timed out: still running after 3 s \(scenario scenario_a_loops; --timeout 3\), stopped$/,
    );
  });
  it("process.exit() is reported and does not end the run", () => {
    expect(scenario("scenario_b_exits").error).toBe("called process.exit(0) (the run went on)");
  });
  it("writes to stdout are captured into the report, not printed", () => {
    expect(scenario("scenario_c_prints")).toMatchObject({
      outcome: "ok",
      output: '{"not": "the report"}\nmore\n',
    });
  });
  it("an unhandled rejection names the user's line", () => {
    expect(scenario("scenario_d_rejects").error).toBe(
      `unhandled promise rejection: Error: nobody catches me (at ${HOSTILE}:16:18)`,
    );
  });
  it("a throwing timer names the user's line", () => {
    expect(scenario("scenario_e_timer_throws").error).toBe(
      `an exception escaped to the event loop (a timer or callback): Error: thrown from a timer (at ${HOSTILE}:20:11)`,
    );
  });
  it("a crash keeps the finding made before it and trims the stack to the user's frames", () => {
    const f = scenario("scenario_f_crashes_after_a_finding");
    expect(f.outcome).toBe("error");
    expect(f.violations.map((v) => v.rule)).toEqual(["MD002"]);
    expect(f.error).toBe(`TypeError: Cannot set properties of null (setting 'x') (at ${HOSTILE}:28:5)`);
    expect(f.stack).toEqual([`scenario_f_crashes_after_a_finding (${HOSTILE}:28:5)`]);
  });
  it("a clean scenario after all of that is clean", () => {
    expect(scenario("scenario_g_ok")).toMatchObject({
      outcome: "ok",
      violations: [],
      leaks: [],
      error: null,
    });
  });
});

describe("the text report of a crash", () => {
  it("shows the findings first, then the error with the user's frames", () => {
    const r = memdesc(["check", HOSTILE, "--run", "--stage", "today", "--timeout", "3"]);
    const text = r.stdout;
    const f = text.indexOf("scenario scenario_f_crashes_after_a_finding: 1 finding, then an error");
    expect(f).toBeGreaterThan(0);
    const md002 = text.indexOf("MD002  __free_pages", f);
    const err = text.indexOf("error  TypeError: Cannot set properties of null", f);
    expect(md002).toBeGreaterThan(f);
    expect(err).toBeGreaterThan(md002);
    expect(text).toContain(`at scenario_f_crashes_after_a_finding (${HOSTILE}:28:5)`);
    expect(text).toContain('      | {"not": "the report"}');
  });
});

describe("limits and the leak ledger", () => {
  it("work still queued at the end runs before the ledger: no MD018 (issue 8, item 4)", () => {
    const r = memdesc([
      "check",
      join(ROOT, "test/fixtures/run/deferred.ts"),
      "--run",
      "--json",
      "--stage",
      "today",
    ]);
    expect(r.code, r.stdout).toBe(0);
    const s = CheckReportSchema.parse(JSON.parse(r.stdout)).files[0]?.scenarios?.[0];
    expect(s).toMatchObject({ name: "scenario_queued_at_end", outcome: "ok", leaks: [] });
  });
  it("a scenario past the memory limit is stopped and named; the next one still runs", () => {
    const r = memdesc([
      "check",
      join(ROOT, "test/fixtures/run/memory.ts"),
      "--run",
      "--json",
      "--stage",
      "today",
      "--memory-limit",
      "256",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const scenarios = CheckReportSchema.parse(JSON.parse(r.stdout)).files[0]?.scenarios ?? [];
    expect(scenarios.map((s) => [s.name, s.outcome])).toEqual([
      ["scenario_hogs_memory", "error"],
      ["scenario_z_after_it", "ok"],
    ]);
    expect(scenarios[0]?.error).toMatch(/^out of memory: .*256 MiB/);
  });
});

describe("usage", () => {
  it.each([
    [["check", "", "--run"], /empty path/],
    [["check", HOSTILE, "--run", "--timeout", "0"], /--timeout '0' is not a number/],
    [["check", HOSTILE, "--run", "--timeout", "ten"], /--timeout 'ten' is not a number/],
    [["check", HOSTILE, "--timeout", "5"], /apply to --run only/],
  ])("%j is exit 2 with one line", (args, message) => {
    expect(badInputLine(memdesc(args))).toMatch(message);
  });
  it("--help says what --run does", () => {
    const help = memdesc(["check", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/EXECUTES the file's code, with your rights, in a child process/);
    expect(help).toMatch(/Without --run, check only compiles the files: no code of theirs runs/);
  });
  it.skipIf(process.getuid?.() !== 0)("an unreadable .ts file is exit 2, never clean", () => {
    const d = join(tmp, "unreadable");
    mkdirSync(d);
    chmodSync(tmp, 0o755);
    chmodSync(d, 0o755);
    const f = join(d, "secret.ts");
    writeFileSync(f, "export const x = 1;\n");
    chmodSync(f, 0o600);
    // root reads everything: run as nobody, for whom the file is unreadable.
    for (const arg of [f, d]) {
      const r = memdesc(["check", arg], {
        wrap: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
      });
      expect(badInputLine(r)).toBe(`memdesc: ${f}: cannot read (permission denied)`);
    }
  });
});

describe("check without --run never executes the file's code", () => {
  it("top-level code, tsconfig plugins, /// <reference> and package.json scripts all stay unrun", () => {
    const d = join(tmp, "never-run");
    mkdirSync(d);
    const marker = (name: string) => join(d, `${name}.marker`);
    const touch = (name: string) =>
      `require("node:fs").writeFileSync(${JSON.stringify(marker(name))}, "ran");`;
    writeFileSync(
      join(d, "scenario.ts"),
      `/// <reference path="./referenced.ts" />\ndeclare const require: any;\n${touch("top-level")}\nexport function scenario_x() { ${touch("scenario")} }\n`,
    );
    writeFileSync(join(d, "referenced.ts"), `declare const require: any;\n${touch("reference")}\n`);
    mkdirSync(join(d, "node_modules/evil-plugin"), { recursive: true });
    writeFileSync(
      join(d, "node_modules/evil-plugin/index.js"),
      `${touch("plugin")}\nmodule.exports = () => ({ create: (i) => i.languageService });\n`,
    );
    writeFileSync(
      join(d, "node_modules/evil-plugin/package.json"),
      '{"name":"evil-plugin","main":"index.js"}',
    );
    writeFileSync(
      join(d, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { plugins: [{ name: "evil-plugin" }] } }),
    );
    writeFileSync(
      join(d, "package.json"),
      JSON.stringify({
        name: "x",
        scripts: { preinstall: touch("script"), prepare: touch("script"), test: touch("script") },
      }),
    );
    const r = memdesc(["check", d, "--stage", "today"], { cwd: d });
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    for (const m of ["top-level", "scenario", "reference", "plugin", "script"])
      expect(existsSync(marker(m)), m).toBe(false);
    // The same file with --run does run (the markers are live), so the test above can fail.
    const ran = memdesc(["check", join(d, "scenario.ts"), "--run", "--stage", "today"], { cwd: ROOT });
    void ran;
    expect(existsSync(marker("top-level")) || existsSync(marker("scenario"))).toBe(true);
  });
});
