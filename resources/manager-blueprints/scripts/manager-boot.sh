#!/usr/bin/env bash
# Boot command of the local cloud's `rekindle-manager` image (cfy cloud start --manager-command).
# Runs at every boot of the manager server: starts the Rekindle manager on the server's private
# (port) IP, its data in the server's disk (which dies with the server). The admin password, the
# REST port and the agents' broker port come from the server metadata the manager blueprint sets;
# the broker port is fixed so agents find a recovered manager at the same address.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
meta() { node -e 'const m=JSON.parse(process.env.REKINDLE_METADATA||"{}");process.stdout.write(String(m[process.argv[1]]??process.argv[2]))' "$1" "$2"; }
export REKINDLE_ADMIN_PASSWORD="$(meta rekindle_admin_password '')"
port="$(meta rekindle_rest_port 8101)"
broker_port="$(meta rekindle_broker_port 53333)"
exec node "$repo/bin/cfy-manager.js" start --data-dir "$REKINDLE_DISK_PATH/manager" \
  --host "$REKINDLE_SERVER_IP" --port "$port" --broker-port "$broker_port"
