/**
 * rules.html: every rule of src/model/rules.ts with its kernel source, its
 * compile-time and run-time forms, and its bad and good examples
 * (examples/rules/MD###-slug/) with the checker's real output: the site
 * generator runs `memdesc check --stage all --run --expect` on them (one
 * checkFiles call, as scripts/docs/case-study.ts does).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { checkFiles } from "../../src/check/check.js";
import { renderCheckReport } from "../../src/check/render.js";
import { runScenarios } from "../../src/check/run.js";
import { RULE_IDS, RULES } from "../../src/model/rules.js";
import { STAGES } from "../../src/model/stage.js";
import { anchor, code, esc, htmlTable, page, type SitePage } from "./html.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Anchor of a rule: rules.html#md002 (rules.html#md002-free-order works too, as in docs/rules.md). */
export const ruleAnchor = (id: string) => id.toLowerCase();

export default async function rulesPage(): Promise<SitePage[]> {
  const dirs = RULE_IDS.map((id) => ({ id, dir: join("examples", "rules", `${id}-${RULES[id].slug}`) }));
  const files = dirs.flatMap(({ dir }) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => f.endsWith(".ts"))
          .sort()
          .map((f) => join(dir, f))
      : [],
  );
  const report = await checkFiles({
    paths: files.map((f) => join(root, f)),
    stages: STAGES,
    run: runScenarios,
    cwd: root,
    expect: true,
  });
  const outputOf = (file: string) => {
    const f = report.files.find((x) => x.file === file || relative(root, join(root, x.file)) === file);
    if (!f) throw new Error(`the checker reported nothing for ${file}`);
    // The per-file part of the report; the summary line is the whole run's, so it is left off.
    const text = renderCheckReport({ ...report, files: [f] })
      .trimEnd()
      .split("\n");
    return text.slice(0, -1).join("\n").trimEnd();
  };
  const sections = dirs.map(({ id, dir }) => {
    const r = RULES[id];
    const ex = files
      .filter((f) => f.startsWith(`${dir}/`))
      .map((f) => {
        const name = f.slice(dir.length + 1);
        return `<h4 id="${anchor(id, name.replace(/\.ts$/, ""))}">${esc(name)} — ${name.startsWith("bad") ? "breaks the rule" : "keeps the rule"}</h4>
<pre class="src">${esc(readFileSync(join(root, f), "utf8").trimEnd())}</pre>
<pre class="out">$ memdesc check ${esc(f)} --stage all --run --expect
${esc(outputOf(f))}</pre>`;
      })
      .join("\n");
    return `<section id="${ruleAnchor(id)}">
<h2><span id="${anchor(id, r.slug)}"></span>${esc(id)} ${esc(r.slug)}: ${esc(r.title)}</h2>
<p>${esc(r.explanation)}</p>
<p><strong>Fix:</strong> ${esc(r.fix)}</p>
<p><strong>Kernel source:</strong> ${esc(r.source)}</p>
<p><strong>Compile time:</strong> ${r.compileTime ? `TS${r.compileTime.tsCode}. ${esc(r.compileTime.how)} <em>Limits:</em> ${esc(r.compileTime.limits)}` : "none — the compiler cannot see it; the run-time check is the rule."}</p>
<p><strong>Run time:</strong> ${r.runTime ? `${esc(r.runTime.how)}${r.runTime.kernelReport ? ` Kernel report: ${code(r.runTime.kernelReport)}.` : " The kernel reports nothing."}` : "none — decided entirely at compile time."}</p>
${ex}
</section>`;
  });
  const body = `<h1>The memdesc rules</h1>
<p>Every rule has an ID, a kernel source, a compile-time form where the compiler can decide (a type whose compiler
message carries the ID and a sentence), a run-time form in the simulator, and examples that break and keep it.
The output under each example is the checker's, produced when this page was generated.</p>
${htmlTable(
  ["ID", "rule", "compile time", "run time"],
  RULE_IDS.map((id) => [
    `<a href="#${ruleAnchor(id)}">${id}</a>`,
    esc(RULES[id].title),
    RULES[id].compileTime ? `TS${RULES[id].compileTime?.tsCode}` : "—",
    RULES[id].runTime ? "yes" : "—",
  ]),
)}
${sections.join("\n")}`;
  return [page({ path: "rules.html", title: "Rules", body })];
}
