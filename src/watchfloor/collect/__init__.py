"""watchfloor.collect."""
