#!/bin/bash
# Starts python3 -m http.server in the background and waits until it answers.
set -e

root=$(ctx instance runtime-properties root)
port=$(ctx node properties port)
ip=$(ctx instance host-ip)
ip=${ip:-127.0.0.1}

cd "${root}"
ctx logger info "Starting http.server on ${ip}:${port} from ${root}"
nohup python3 -m http.server "${port}" --bind "${ip}" > "${root}/server.log" 2>&1 < /dev/null &
pid=$!
ctx instance runtime-properties pid "@${pid}"

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/${ip}/${port}") 2> /dev/null; then
    ctx logger info "Server is up (pid ${pid})."
    exit 0
  fi
  if ! kill -0 "${pid}" 2> /dev/null; then
    echo "http.server exited early:" >&2
    tail -n 5 "${root}/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
ctx logger error "Failed starting web server in 10 seconds."
kill "${pid}" 2> /dev/null || true
exit 1
