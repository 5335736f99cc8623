"""canbo: records and yearly quality ratings of Vietnamese cadres and civil servants.

The domain library; it imports no web framework.  See README.md for the commands.
"""
__version__ = "0.1.0"
