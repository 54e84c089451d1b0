"""``python -m symderiv``: the same as the ``symderiv`` command."""

import sys

try:
    from .cli.main import main
except KeyboardInterrupt:  # Ctrl-C while starting up
    sys.exit(130)

sys.exit(main())
