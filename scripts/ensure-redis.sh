#!/bin/sh
# npm test: makes Debian's redis-server available for the tests that need Redis (the engine's
# Redis implementation). The tests start their own private instance (test/setup/redis.ts) and
# stop it; nothing here starts a service.
set -eu
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is missing: installing Debian's package (apt-get install redis-server)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # the package may start its own service; the tests use their own instance on another port
  exit 0
fi
echo "redis-server is missing and cannot be installed here: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)" >&2
exit 1
