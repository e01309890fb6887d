#!/bin/bash
# Like the recovery-test fixture's hello.py: sets runtime property greet=hello, from the host's agent.
set -e
ctx logger info "hello from the greeter on agent ${REKINDLE_AGENT_NAME:-none}"
ctx instance runtime-properties greet hello
ctx instance runtime-properties greeted_by "${REKINDLE_AGENT_NAME:-none}"
