"""Hardware as data: platform models and the interface-name table."""
