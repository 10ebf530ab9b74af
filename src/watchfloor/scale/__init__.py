"""watchfloor.scale."""
