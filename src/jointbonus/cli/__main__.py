"""``python -m jointbonus.cli``: the ``jointbonus`` command."""

import sys

from jointbonus.cli.commands import main

if __name__ == "__main__":
    sys.exit(main())
