"""analysis stage of the cobolspec pipeline (see DESIGN.md)."""
