#!/usr/bin/env bash
# Wall time of a 200-unit scenario suite (20 scenarios x 10 runs, a Node harness agent that opens issues) run as
# 1 process vs 4 shard processes at once (as a CI matrix would, here on one machine), and the time of the merge.
# Usage: bench/scenarios/shards.sh [repeats]   (figures go to docs/benchmarks/scenarios.md by hand)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats="${1:-3}"
dotnet build src/Archal.Testing.Cli -c Release -v q -nologo >/dev/null
cli=(dotnet src/Archal.Testing.Cli/bin/Release/net10.0/Archal.Testing.Cli.dll)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/suite"
cat > "$work/agent.mjs" <<'JS'
const index = Number(process.env.AGENT_RUN_INDEX);
const base = JSON.parse(process.env.AGENT_CLONE_URLS).github;
const headers = { ...JSON.parse(process.env.AGENT_ROUTE_HEADERS), authorization: `Bearer ${process.env.GITHUB_SERVICE_TOKEN}`, 'content-type': 'application/json' };
for (let i = 0; i < 1 + index % 3; i++) {
  const response = await fetch(`${base}/repos/acme/webapp/issues`, { method: 'POST', headers, body: JSON.stringify({ title: `run ${index} issue ${i}` }) });
  if (!response.ok) process.exit(3);
}
console.log(JSON.stringify({ text: 'done' }));
JS
for s in $(seq -w 1 20); do
  cat > "$work/suite/scenario-$s.md" <<MD
# Scenario $s
## Prompt
Open issues in acme/webapp.
## Success Criteria
- [D] The run exits successfully
- [D] At least 1 issue was created
- [D] Fewer than 3 tool calls were made
## Config
clones: github
seed: small-project
runs: 10
MD
done

now() { date +%s.%N; }
run() { "${cli[@]}" run "$work/suite" --harness "node $work/agent.mjs" --random-seed 42 -o json "$@" >/dev/null; }
for r in $(seq 1 "$repeats"); do
  rm -rf "$work/out"
  t0=$(now); run --records "$work/out/all"; t1=$(now)
  for k in 1 2 3 4; do run --shard "$k/4" --records "$work/out/s$k" & done; wait
  t2=$(now)
  "${cli[@]}" report merge "$work/out/s1" "$work/out/s2" "$work/out/s3" "$work/out/s4" -o json > "$work/out/merged.json"
  t3=$(now)
  units=$(for k in 1 2 3 4; do jq .units "$work/out/s$k"/archal-results*.json; done | paste -sd' ')
  same=$(jq -S '.satisfaction' "$work/out/merged.json")/$(jq -S '.satisfaction' "$work/out/all/archal-results.json")
  echo "$r: 1 process $(echo "$t1 - $t0" | bc) s; 4 shards $(echo "$t2 - $t1" | bc) s (units $units); ratio $(echo "scale=2; ($t2 - $t1) / ($t1 - $t0)" | bc); merge $(echo "$t3 - $t2" | bc) s; satisfaction merged/unsharded $same"
done
echo "machine: $(nproc) cores, $(uname -sr), $(dotnet --version)"
