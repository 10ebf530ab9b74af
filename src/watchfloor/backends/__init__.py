"""watchfloor.backends."""
