#!/bin/bash
# Example script (web-start): Cloudify runs it through the script plugin with ctx available.
ctx logger info "web-start"
