#!/usr/bin/env bash
# Run the whole test suite (sets up .venv on first run). Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec .venv/bin/python -m pytest "$@"
