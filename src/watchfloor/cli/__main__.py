"""``python -m watchfloor.cli``."""

from watchfloor.cli import main

main()
