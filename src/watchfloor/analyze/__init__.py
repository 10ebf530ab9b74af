"""watchfloor.analyze."""
