"""watchfloor: an open-source-intelligence watch floor.

Collects open sources about countries, enriches every article and writes grounded
country security reports. See README.md for the two commands that do everything.
"""

import logging

__version__ = "0.1.0"
__all__ = ["__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
