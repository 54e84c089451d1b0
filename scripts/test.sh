#!/usr/bin/env bash
# Run the whole test suite (sets up .venv on first run). Extra arguments go to pytest.
# The tests run in one worker per core (pytest-xdist, a file per worker at a time);
# SYMDERIV_TEST_WORKERS=0 runs them in this process.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec .venv/bin/python -m pytest -n "${SYMDERIV_TEST_WORKERS:-auto}" --dist loadfile "$@"
