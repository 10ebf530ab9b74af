"""watchfloor.web."""
