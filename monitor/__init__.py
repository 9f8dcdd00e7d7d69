"""complaint-monitor: watch brand mentions, tell fix-requests from venting, draft replies.

The package root holds no state and performs no I/O at import time.
"""

__version__ = "0.1.0"
