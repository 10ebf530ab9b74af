"""watchfloor.enrich."""
