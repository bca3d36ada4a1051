"""nengji (能级): a platform for running, monitoring and evaluating a district innovation plan."""

__version__ = "0.1.0"
