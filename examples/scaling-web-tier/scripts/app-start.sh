#!/bin/bash
# Example script (app-start).
ctx logger info "app-start"
