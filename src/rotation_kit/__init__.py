"""rotation_kit: the helper package behind the away-rotation course notebooks."""

__version__ = "0.1.0"
