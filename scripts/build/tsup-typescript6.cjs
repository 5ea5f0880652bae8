/**
 * Preloaded by `npm run build` (node --require): tsup 9 and its declaration
 * bundler call TypeScript's classic compiler API (`createProgram`,
 * `parseJsonConfigFileContent`), which TypeScript 7's `typescript` package no
 * longer has. This resolves tsup's own `require("typescript")` to TypeScript 6,
 * installed as `@typescript/typescript6` (the compatibility package the
 * TypeScript team publishes for tools that still need that API). Nothing else
 * is redirected: the project's type-check and `memdesc check` use TypeScript 7.
 * Node passes --require on to tsup's worker threads (execArgv), where the
 * declaration step runs. docs/decisions/0802-typescript-7-and-6.md.
 */
const Module = require("node:module");
const path = require("node:path");

const tsupDir = `${path.sep}node_modules${path.sep}tsup${path.sep}`;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveTypescript6(request, parent, ...rest) {
  const fromTsup = parent?.filename?.includes(tsupDir) === true;
  return resolveFilename.call(
    this,
    fromTsup && request === "typescript" ? "@typescript/typescript6" : request,
    parent,
    ...rest,
  );
};
