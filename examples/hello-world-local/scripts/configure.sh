#!/bin/bash
# Creates the web root and renders index.html into it.
set -e

root=$(mktemp -d "${TMPDIR:-/tmp}/hello-world-local.XXXXXX")
ctx logger info "Creating HTTP server root directory at ${root}"
ctx instance runtime-properties root "${root}"

ctx logger info "Downloading blueprint resources..."
ctx download-resource-and-render index.html "${root}/index.html" > /dev/null
