#!/usr/bin/env bash
# Walks docs/production.md's steps on this machine: publish the host, start the published binary in
# Production from another working directory, check /healthz, take an online backup while it runs,
# stop it with SIGTERM, and read the backup (`growthbot status`, the customer count against the original's). Prints each step; exits non-zero
# at the first one that fails. It is not part of the test command (a publish takes a minute or two).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
host_pid=""
cleanup() {
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then kill -TERM "$host_pid"; wait "$host_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "publish (docs/production.md, step 1)"
dotnet publish "$repo/src/GrowthBot.Host" -c Release -o "$work/app" --nologo -v quiet
test -x "$work/app/growthbot"

step "demo data into a store, run from another folder"
mkdir -p "$work/elsewhere" && cd "$work/elsewhere"
"$work/app/growthbot" demo --db "$work/store/growthbot.db" >/dev/null 2>&1

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
step "start in Production on 127.0.0.1:$port"
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Company__Name="Try Co" \
  Storage__Path="$work/store/growthbot.db" "$work/app/growthbot" serve >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >"$work/health.json" 2>/dev/null; then break; fi
  sleep 0.5
done
cat "$work/health.json"; echo
grep -q '"ok"' "$work/health.json"

step "online backup while the host runs"
mkdir -p "$work/backup"
"$work/app/growthbot" backup "$work/backup/growthbot.db" --db "$work/store/growthbot.db"
test -s "$work/backup/growthbot.db"

step "SIGTERM"
started=$(date +%s)
kill -TERM "$host_pid"; wait "$host_pid" || { echo "host exit code $?"; exit 1; }
host_pid=""
echo "stopped in $(( $(date +%s) - started )) s"

step "the backup opens as a store with the same customers"
"$work/app/growthbot" status --db "$work/backup/growthbot.db"
original="$("$work/app/growthbot" metric customers --db "$work/store/growthbot.db" | grep "(n =")"
restored="$("$work/app/growthbot" metric customers --db "$work/backup/growthbot.db" | grep "(n =")"
echo "$restored"
[ "$original" = "$restored" ]

step "all steps passed"
