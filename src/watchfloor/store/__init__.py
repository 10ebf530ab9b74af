"""watchfloor.store."""
