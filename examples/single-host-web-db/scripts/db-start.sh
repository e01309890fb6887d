#!/bin/bash
# Example script (db-start): Cloudify runs it through the script plugin with ctx available.
ctx logger info "db-start"
