#!/bin/bash
# Runs on the server's agent: stops the http.server start.sh recorded, removes the web root.
set -e

server_pid=$(ctx instance runtime-properties pid 2> /dev/null || true)
www=$(ctx instance runtime-properties www 2> /dev/null || true)

if [ -n "${server_pid}" ] && kill "${server_pid}" 2> /dev/null; then
  ctx logger info "Stopping the web server (pid ${server_pid})"
  tries=0
  while kill -0 "${server_pid}" 2> /dev/null && [ "${tries}" -lt 50 ]; do
    tries=$((tries + 1))
    sleep 0.1
  done
  kill -KILL "${server_pid}" 2> /dev/null || true
fi

if [ -n "${www}" ]; then
  ctx logger info "Removing the web root ${www}"
  rm -rf "${www}" "${www}.log"
fi
