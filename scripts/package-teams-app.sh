#!/usr/bin/env bash
# Builds the Teams app package (a zip with manifest.json, color.png and outline.png at its root)
# from manifests/teams, with the bot's app id and host filled in. Upload the zip in Teams:
# Apps → Manage your apps → Upload an app → Upload a custom app.
#
#   scripts/package-teams-app.sh [--app-id GUID] [--host HOST] [--app-version X.Y.Z] [--out FILE]
#
#   --app-id       the bot's Microsoft App ID (Entra client id); default: $Teams__AppId
#   --host         the public host name the bot runs on (growthbot.contoso.com), listed in
#                  validDomains; without it validDomains is left empty, which a bot does not need
#   --app-version  the app's own version; raise it for every update of an uploaded app (default: the manifest's)
#   --out          where to write the zip (default: out/growthbot-teams.zip in the repository)
#   --allow-placeholder  accept the all-zero app id of the committed manifest (for tests only:
#                  Teams would accept the upload but the bot would never receive a message)
#
# Needs python3 (for the JSON edit and the zip; no zip binary required).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$root/manifests/teams"
app_id="${Teams__AppId:-}"
host=""
app_version=""
out="$root/out/growthbot-teams.zip"
allow_placeholder=false

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --app-id) app_id="${2:?--app-id needs a value}"; shift 2 ;;
    --host) host="${2:?--host needs a value}"; shift 2 ;;
    --app-version) app_version="${2:?--app-version needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --allow-placeholder) allow_placeholder=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

placeholder="00000000-0000-0000-0000-000000000000"
if [[ -z "$app_id" ]]; then
  echo "No app id: pass --app-id or set Teams__AppId (the bot's Microsoft App ID)." >&2
  exit 2
fi
if [[ ! "$app_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]]; then
  echo "The app id must be a GUID (the Entra app registration's Application (client) ID), not '$app_id'." >&2
  exit 2
fi
if [[ "$app_id" == "$placeholder" && "$allow_placeholder" != true ]]; then
  echo "The app id is the all-zero placeholder; pass the bot's real app id (or --allow-placeholder for a test package)." >&2
  exit 2
fi
if [[ -n "$host" && ! "$host" =~ ^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$ ]]; then
  echo "--host takes a host name such as growthbot.contoso.com (no scheme, no path), not '$host'." >&2
  exit 2
fi
if [[ -n "$app_version" && ! "$app_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "--app-version takes a version such as 1.0.1, not '$app_version'." >&2
  exit 2
fi

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

python3 - "$source_dir" "$out" "$app_id" "$host" "$app_version" <<'PY'
import json, pathlib, sys, zipfile

source, out, app_id, host, app_version = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
manifest["id"] = app_id
for bot in manifest.get("bots", []):
    bot["botId"] = app_id
manifest["validDomains"] = [host] if host else []
# Single sign-on, later: the bot's own app registration, with the resource Teams documents for bots.
if "webApplicationInfo" in manifest:
    manifest["webApplicationInfo"] = {"id": app_id, "resource": f"api://botid-{app_id}"}
if app_version:
    manifest["version"] = app_version

# Fixed timestamps: the same inputs give the same zip, byte for byte.
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
    def add(name, data):
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        package.writestr(info, data)
    add("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    for icon in ("color.png", "outline.png"):
        add(icon, (source / icon).read_bytes())
PY

echo "Wrote $out (app id $app_id${host:+, host $host})."
echo "Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app."
