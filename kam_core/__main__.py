import sys

from kam_core.cli import main

sys.exit(main())
