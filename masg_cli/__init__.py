"""masg: the multi-agency panel process for CAF co-ordinators."""

__version__ = "0.1.0"
