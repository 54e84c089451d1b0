#!/usr/bin/env bash
# Build the API reference (docs/, Sphinx) into build/docs/ with warnings as errors; the standard
# documents of output/ are copied in under documents/. Extra arguments go to sphinx-build.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec .venv/bin/python -m sphinx -W --keep-going -q -b html "$@" docs build/docs
