#!/bin/bash
# Example script (web-link-db): Cloudify runs it through the script plugin with ctx available.
ctx logger info "web-link-db"
