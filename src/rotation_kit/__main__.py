"""`python -m rotation_kit`: the same command line as `rotation-kit`."""

import sys

from rotation_kit.cli import main

if __name__ == "__main__":
    sys.exit(main())
