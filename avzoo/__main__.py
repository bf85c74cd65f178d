"""`python -m avzoo ...` (and `torchrun -m avzoo train ...`): the avzoo command line."""
import sys

from avzoo.cli import main

sys.exit(main())
