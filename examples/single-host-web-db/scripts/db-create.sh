#!/bin/bash
# Example script (db-create): Cloudify runs it through the script plugin with ctx available.
ctx logger info "db-create"
