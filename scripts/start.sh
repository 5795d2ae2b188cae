#!/bin/sh
# npm start: the server. Arguments are options for node itself (npm start -- --inspect).
#
# NODE_ENV=production runs the compiled build (npm run build: dist/src/main.js); anything else
# runs the sources as a newcomer's `npm install && npm start` expects, transpiled by esbuild when
# they changed (scripts/dev-build.mjs: .dev-build/<tree>/, with source maps). Neither has a TypeScript
# loader in the process. `exec` everywhere, so the signal a supervisor (or npm)
# sends reaches node itself: Debian's dash neither forwards signals nor execs a last command.
set -eu
cd "$(dirname "$0")/.."

# glibc malloc keeps one arena per thread that ever allocated (up to 8 per core), and pages freed
# inside an arena stay resident; Node allocates on its main thread, so one arena keeps an idle
# instance about 30-50 MiB smaller. Blocks of 32 KiB and more come from mmap and go back to the
# kernel when freed: start-up otherwise left 15 MiB and more of freed but resident pages in the
# arena (128 KiB, the previous threshold: 24 MiB of other anonymous memory right after the
# first requests; 32 KiB: 15-18 MiB, at the same CPU per request; README: "What an idle instance
# costs"). Set either variable to override.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-32768}"
if [ "${NODE_ENV:-development}" != production ]; then
  entry=$(node scripts/dev-build.mjs)
  exec node --enable-source-maps "$@" "$entry"
fi

if [ ! -f dist/src/main.js ]; then
  echo "stockroom: NODE_ENV=production runs the build in dist/, which is missing: run \`npm run build\` first" >&2
  exit 1
fi
# The young generation capped at two 8 MiB semi-spaces instead of V8's 16: an instance just past
# its first requests holds ~10-25 MiB less, under load ~20-50 MiB less, at about the same CPU per
# REST request; uncached GraphQL reads cost 8-22 % more CPU than with 16 (4 MiB cost a third
# more: README, "What an idle instance costs").
# Node options given to npm start come after it, so `npm start -- --max-semi-space-size=16` wins.
young="--max-semi-space-size=8"
# V8 collects garbage on helper threads as well as the main one. On a small machine that shares
# its cores with PostgreSQL, their coordination costs more CPU than it saves: one thread cut the
# CPU of an uncached list request by about a sixth (README: "CPU per request"). PARALLEL_GC=true
# keeps V8's default.
if [ "${PARALLEL_GC:-false}" = true ]; then
  exec node "$young" "$@" dist/src/main.js
fi
exec node "$young" --single-threaded-gc "$@" dist/src/main.js
