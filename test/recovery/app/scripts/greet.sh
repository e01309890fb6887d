#!/bin/bash
echo "hello from the greeter"
