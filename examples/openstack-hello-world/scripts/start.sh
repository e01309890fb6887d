#!/bin/bash
# Runs on the server's agent: serves the web root with python3 -m http.server on the server's
# private address (ctx instance host-ip, the vm's `ip` runtime property) and records its pid.
set -e

www=$(ctx instance runtime-properties www)
port=$(ctx node properties port)
address=$(ctx instance host-ip)
if [ -z "${address}" ]; then
  ctx logger error "The server has no private address (runtime property ip of the vm)"
  exit 1
fi

ctx logger info "Starting http.server on ${address}:${port}"
nohup python3 -m http.server "${port}" --bind "${address}" --directory "${www}" \
  > "${www}.log" 2>&1 < /dev/null &
server_pid=$!
ctx instance runtime-properties pid "@${server_pid}"
ctx instance runtime-properties address "${address}"

# Up when the port accepts a connection; give up after 10 s or when the server died.
tries=0
until (exec 3<>"/dev/tcp/${address}/${port}") 2> /dev/null; do
  kill -0 "${server_pid}" 2> /dev/null || { cat "${www}.log" >&2; exit 1; }
  tries=$((tries + 1))
  [ "${tries}" -lt 100 ] || { ctx logger error "http.server is not up after 10 s"; exit 1; }
  sleep 0.1
done
ctx logger info "Web server is up (pid ${server_pid})."
