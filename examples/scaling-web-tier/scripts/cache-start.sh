#!/bin/bash
# Example script (cache-start).
ctx logger info "cache-start"
