#!/usr/bin/env bash
# The policy checks: formatting, strict compile against the wasm capabilities, and
# the Rego unit tests with coverage. Prints a closing `N passed, N failed` line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
opa="${OPA_BIN:-$root/.tools/bin/opa}"
cd "$root"

unformatted=$("$opa" fmt --list policies)
if [ -n "$unformatted" ]; then
  echo "opa fmt: not formatted (run $opa fmt -w policies):" >&2
  echo "$unformatted" >&2
  exit 1
fi
"$opa" check --strict --capabilities policies/capabilities.json policies
# sprintf under opa-wasm is sprintf-js: %q is unknown and %v throws on null.
if grep -rnE 'sprintf\("[^"]*%[vq]' --include='*.rego' policies; then
  echo "use %s (with json.marshal for non-strings) or %d in sprintf: opa-wasm cannot format %v/%q" >&2
  exit 1
fi
"$opa" test policies --format json > "${TMPDIR:-/tmp}/prodgate-rego-tests.json" || true
node -e '
  const results = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  let passed = 0, failed = 0;
  for (const r of results) {
    if (r.fail || r.error) { failed++; console.log(`FAIL ${r.package}.${r.name}${r.error ? ": " + JSON.stringify(r.error) : ""}`); }
    else if (!r.skip) passed++;
  }
  console.log(`rego: ${passed} passed, ${failed} failed`);
  process.exit(failed || passed === 0 ? 1 : 0);
' "${TMPDIR:-/tmp}/prodgate-rego-tests.json"
