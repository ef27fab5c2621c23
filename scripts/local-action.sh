#!/usr/bin/env bash
# Runs the action from its TypeScript source (src/main.ts, no build) with GitHub's @github/local-action,
# against the local PolyAI emulator: first `active`, then `publish` (gated on its test runs). Shows
# each run's log, local-action's table of its outputs and its job summary; fails if a run fails or an
# expected output is missing from that table.
#
#   npm run local-action            (or: bash scripts/local-action.sh)
#
# The inputs and GitHub context come from .env.example; the script writes a temporary .env from it
# with the emulator's URL, the operation and a job-summary file. local-action itself always exits 0,
# even when the action fails, so the verdict is read from its log.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/local-action ]; then
  echo 'local-action is not installed: run `npm ci` first.' >&2
  exit 1
fi

work="$(mktemp -d)"
emulator_pid=''
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The emulator on a free port; its first stdout line is `emulator listening on <url>`.
node emulator/cli.js --port 0 > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!
url=''
for _ in $(seq 1 100); do
  url="$(sed -n '1s/^emulator listening on //p' "$work/emulator.out")"
  [ -n "$url" ] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo 'The emulator exited:' >&2
    cat "$work/emulator.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo 'The emulator did not start within 10s.' >&2
  exit 1
fi
echo "== emulator listening on $url"

# run_action <operation> <name=value>...: writes the .env, runs local-action, checks its outputs table.
run_action() {
  local operation="$1"
  shift
  local env_file="$work/$operation.env" summary="$work/$operation-summary.md" log="$work/$operation.log"
  : > "$summary"
  {
    grep -v -E '^(INPUT_OPERATION|INPUT_BASE-URL|GITHUB_STEP_SUMMARY)=' .env.example
    echo "INPUT_OPERATION=$operation"
    echo "INPUT_BASE-URL=$url"
    echo "GITHUB_STEP_SUMMARY=$summary"
  } > "$env_file"

  echo
  echo "== local-action: operation $operation"
  local status=0
  NO_COLOR=1 FORCE_COLOR=0 node_modules/.bin/local-action run . src/main.ts "$env_file" > "$log" 2>&1 || status=$?
  # Everything from the action's own log on (the configuration and metadata tables come before).
  sed -n '/Running Action/,$p' "$log" | sed 's/\x1b\[[0-9;]*m//g'
  echo "-- job summary ($operation)"
  cat "$summary"

  local failed=''
  [ "$status" -eq 0 ] || failed="local-action exited with $status"
  if grep -q '^::error' <(sed 's/\x1b\[[0-9;]*m//g' "$log"); then failed="the action reported an error"; fi
  # Each expected output as a row of local-action's "Action Outputs" table: │ 'name' │ 'value' │.
  for expected in "$@"; do
    local name="${expected%%=*}" value="${expected#*=}"
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -F -- "│ '$name' " | grep -q -F -- "│ '$value' " ||
      failed="${failed:+$failed; }output $name is not '$value' in local-action's outputs table"
  done
  if [ -n "$failed" ]; then
    echo "!! $operation failed: $failed. The whole local-action log:" >&2
    cat "$log" >&2
    exit 1
  fi
  echo "== $operation: ok"
}

run_action active 'active-deployments={"sandbox":null,"pre-release":null,"live":null}'
run_action publish 'changed=true' 'tests-result=passed'
