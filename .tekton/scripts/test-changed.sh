#!/bin/sh
# The test-changed Task's step: `pnpm test` for the images a push affects (their directories
# become Vitest filters; lint and typecheck always cover the whole workspace). Expects MariaDB,
# Redis and NATS on loopback (the Task's sidecars) and runs as root in a Debian Node image, where
# .ci/run installs the rest (pnpm, Chromium, nginx).
# Usage: test-changed.sh <image>...
set -eu
cd "$(dirname "$0")/../.."

if [ "$#" -eq 0 ]; then
  echo "no image is affected: nothing to test"
  exit 0
fi

filters=""
all=$(node .tekton/scripts/images.mjs list)
if [ "$(echo "$*" | tr ' ' '\n' | sort | tr '\n' ' ')" != "$(echo "$all" | tr ' ' '\n' | sort | tr '\n' ' ')" ]; then
  for image in "$@"; do
    filters="$filters $(node .tekton/scripts/images.mjs dir "$image")"
  done
  echo "testing:$filters (and the static checks of the whole workspace)"
else
  echo "every image is affected: running the whole suite"
fi

# .ci/run is what CI runs on a fresh Debian machine; it forwards its arguments to `pnpm test`.
# The image suite needs podman; in the cluster the build Task's Kaniko builds the images instead.
# shellcheck disable=SC2086
SKIP_IMAGE_TESTS=1 exec bash .ci/run $filters
