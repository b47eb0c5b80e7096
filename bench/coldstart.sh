#!/usr/bin/env bash
# Cold start: fresh process → first answered request, N runs each of the bare TestServer app and Archal's GitHub clone.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-7}
dotnet build -c Release bench/Archal.Testing.Benchmarks -v q -nologo >/dev/null
exe=bench/Archal.Testing.Benchmarks/bin/Release/net10.0/Archal.Testing.Benchmarks.dll
for which in bare archal; do
  for _ in $(seq "$n"); do dotnet "$exe" coldstart "$which"; done
done
