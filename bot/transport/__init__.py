"""Telegram transport: the only package that imports `telegram`.

PTB 22 warns whenever a duration (such as RetryAfter.retry_after) is read as a number; opting in
to its future behaviour (timedelta values) silences that for good. Our code accepts both.
"""

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")
