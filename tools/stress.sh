#!/usr/bin/env bash
# The long runs of the reliability tests: more fuzzing mutations per reader in the FsCheck properties and a longer
# concurrency stress (one session, a training loop and three inference threads).
#   tools/stress.sh [FUZZ_RUNS] [STRESS_STEPS]      (defaults 20000 and 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
export SHARPFLOW_FUZZ_RUNS="${1:-20000}" SHARPFLOW_STRESS_STEPS="${2:-2000}"
dotnet test tests/SharpFlow.Tests -c Release --logger "console;verbosity=detailed" \
  --filter "FullyQualifiedName~Reliability.FileFuzzTests|FullyQualifiedName~Reliability.ConcurrencyStressTests" \
  | grep -E "training steps with|Passed|Failed|Total"
