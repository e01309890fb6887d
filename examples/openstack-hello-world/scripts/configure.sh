#!/bin/bash
# Runs on the server's agent: renders index.html into a web root on the server's disk.
# On the local cloud REKINDLE_DISK_PATH is the server's own disk folder (gone with the server);
# on a real server the web root goes to /tmp.
set -e

www="${REKINDLE_DISK_PATH:-/tmp}/hello-world-www"
mkdir -p "${www}"
ctx instance runtime-properties www "${www}"
ctx logger info "Rendering index.html into ${www} (agent ${REKINDLE_AGENT_NAME:-unknown})"
ctx download-resource-and-render index.html "${www}/index.html" > /dev/null
