#!/usr/bin/env bash
# The package as a user gets it: pack, install the tarball into a fresh project, and check files
# that import the API by package name ("memdesc/sim") — compile-time and --run.
# Then a user's own compiler, TypeScript 7 and TypeScript 6 each in a project of its own: the
# declarations of memdesc/sim type-check (skipLibCheck off) and tsc prints the rule's sentence.
# Needs the build (npm run build) and the npm registry (for the package's dependencies).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/user" && cd "$work/user"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$work/$tarball"

cat > bad.ts <<'TS'
import { __free_pages, alloc_pages, GFP_KERNEL } from "memdesc/sim";
export function scenario_wrong_order() {
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  __free_pages(page, 0);
}
TS
cat > good.ts <<'TS'
import { __free_pages, alloc_pages, GFP_KERNEL } from "memdesc/sim";
export function scenario_right_order() {
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  __free_pages(page, 2);
}
TS

fail() { echo "pack-test: $*" >&2; exit 1; }

set +e
out="$(npx --no-install memdesc check bad.ts --run 2>&1)"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad.ts: expected exit 1, got $rc: $out"
grep -q "bad.ts:5:22  MD002  today,final  __free_pages: block allocated at order 2, freed at order 0" <<<"$out" || fail "bad.ts: no MD002 line: $out"
grep -q "scenario scenario_wrong_order: 1 finding" <<<"$out" || fail "bad.ts: the scenario did not run: $out"

# Kernel C through the installed package: the parser's .wasm files are found inside node_modules,
# not beside the bundle (src/c/parse.ts).
cat > bad.c <<'C'
void scenario_free_at_order_0(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
	__free_pages(page, 0);
}
C
set +e
out="$(npx --no-install memdesc check bad.c --run 2>&1)"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad.c: expected exit 1, got $rc: $out"
grep -q "bad.c:7:21  MD002  today,final  __free_pages: block allocated at order 2, freed at order 0" <<<"$out" || fail "bad.c: no MD002 line: $out"
rm bad.c

out="$(npx --no-install memdesc check good.ts --run --json)" || fail "good.ts: expected exit 0"
node -e 'const r = JSON.parse(process.argv[1]); if (!r.summary.clean || r.summary.scenarios !== 1) process.exit(1)' "$out" \
  || fail "good.ts: JSON summary is not clean with one scenario: $out"

node --input-type=module -e 'import { CheckReportSchema } from "memdesc/check"; import { LAYOUTS } from "memdesc/model"; if (LAYOUTS.final.page.size !== 8 || typeof CheckReportSchema.parse !== "function") process.exit(1);' \
  || fail "ESM imports of memdesc/check and memdesc/model failed"
node -e 'const m = require("memdesc/model"); if (m.LAYOUTS.today.page.size !== 64) process.exit(1);' \
  || fail "CJS require of memdesc/model failed"

# A user's own tsc, with the options a strict project has. The expected line is the rule's
# sentence as the compile-time form of MD002 words it (src/model/findings.ts).
user_tsc() { # $1: the typescript version the user has
  local dir="$work/tsc-$1"
  mkdir "$dir" && cd "$dir"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --silent --save-exact "$work/$tarball" "typescript@$1"
  cp "$work/user/good.ts" "$work/user/bad.ts" .
  cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "types": [],
    "noEmit": true
  },
  "files": ["good.ts"]
}
JSON
  printf '{ "extends": "./tsconfig.json", "files": ["bad.ts"] }\n' > tsconfig.bad.json
  local tsc="node_modules/typescript/bin/tsc" version
  version="$(node "$tsc" --version)"
  [[ "$version" == "Version $1" ]] || fail "tsc $1: the user's project runs $version"
  out="$(node "$tsc" -p tsconfig.json 2>&1)" || fail "tsc $1: good.ts (and memdesc/sim's declarations) do not type-check: $out"
  set +e
  out="$(node "$tsc" -p tsconfig.bad.json 2>&1)"; rc=$?
  set -e
  [ "$rc" -ne 0 ] || fail "tsc $1: bad.ts type-checks; expected MD002"
  grep -q "^bad.ts(5," <<<"$out" || fail "tsc $1: no error at bad.ts line 5: $out"
  grep -q "MD002 __free_pages: block allocated at order 2, freed at order 0" <<<"$out" \
    || fail "tsc $1: the error does not carry MD002's sentence: $out"
  echo "pack-test: tsc $1: good.ts type-checks, bad.ts fails with MD002's sentence"
}
user_tsc 7.0.2
user_tsc 6.0.3

echo "pack-test: ok (installed $tarball; check by package name, --run, --json, ESM and CJS imports; a user's tsc 7 and 6)"
