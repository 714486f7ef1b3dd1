#!/usr/bin/env bash
# Runs the whole test suite with the system clock moved to other dates (Debian's `faketime`), to
# prove that no test depends on the wall clock. Not part of the default test command.
#
#   scripts/test-at-dates.sh                      # the three default dates
#   scripts/test-at-dates.sh '2029-02-28 23:59:00' '2030-01-01 00:00:00'
#   FILTER='FullyQualifiedName~Digest' scripts/test-at-dates.sh   # only some tests
#
# The default dates are in spring, in the week Europe's clocks go back (31 October 2027) and in a
# leap-year summer. The solution is built once on the real clock (so no build output carries a
# future time stamp); each date then runs `dotnet test --no-build`. Exits non-zero if any run fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is not installed: apt-get install faketime" >&2
  exit 2
fi

dates=("$@")
if [ ${#dates[@]} -eq 0 ]; then
  dates=('2027-03-10 12:00:00' '2027-10-31 01:30:00' '2028-06-15 12:00:00')
fi

filter=()
if [ -n "${FILTER:-}" ]; then filter=(--filter "$FILTER"); fi

dotnet build GrowthBot.sln -v q -nologo

failed=()
for when in "${dates[@]}"; do
  echo "=== dotnet test at ${when} UTC ==="
  # faketime moves the monotonic clock by the same offset (leaving it real makes vstest give up
  # on its test hosts at once), so timeouts and stopwatches still measure real durations.
  if ! TZ=UTC faketime "$when" dotnet test GrowthBot.sln --no-build "${filter[@]}"; then
    failed+=("$when")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'Failed at: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "Passed at all ${#dates[@]} dates."
