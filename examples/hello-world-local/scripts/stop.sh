#!/bin/bash
# Stops the web server recorded by start.sh and removes its root directory.
set -e

pid=$(ctx instance runtime-properties pid 2> /dev/null || true)
root=$(ctx instance runtime-properties root 2> /dev/null || true)

if [ -n "${pid}" ]; then
  ctx logger info "Shutting down the web server (pid ${pid})"
  kill "${pid}" 2> /dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "${pid}" 2> /dev/null || break
    sleep 0.1
  done
  kill -9 "${pid}" 2> /dev/null || true
fi

if [ -n "${root}" ] && [ -d "${root}" ]; then
  ctx logger info "Deleting the web server root directory (${root})"
  rm -rf "${root}"
fi
