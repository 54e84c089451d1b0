#!/usr/bin/env bash
# Build the standard derivation documents into output/ (sets up .venv on first run).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec .venv/bin/symderiv build --out output "$@"
