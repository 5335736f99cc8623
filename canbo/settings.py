"""Numbers read from the environment (``$CANBO_…``): one reader, one message.

``number(name, default, low, high, allowed)`` is the value of ``$name`` — ``default`` when
it is unset or blank — as a float (``whole=True``: an integer), refused with
``InvalidInput`` naming the setting, what was written and what is allowed when it is no
number, not finite, or outside ``low`` … ``high`` (``low_open``: above ``low``, not equal).
The panel turns the refusal into its ``ConfigurationError`` (it cannot start), the CLI
into one Vietnamese line.
"""
import math
import os

from canbo.errors import InvalidInput

#: A province's Redis server (``redis://host:6379/0``): the jobs queue (``canbo.jobs``)
#: and the figures every web process shares (``canbo.cache``).  Unset: a SQLite queue
#: file, and each process keeps its own figures.
REDIS_ENV = "CANBO_REDIS_URL"


def number(name, default, low, high, allowed, environ=os.environ, whole=False,
           low_open=False):
    raw = (environ.get(name) or "").strip() or str(default)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = math.nan
    fits = (low < value if low_open else low <= value) and value <= high
    if not fits:  # NaN compares false: refused too
        raise InvalidInput(f"{name} «{raw[:40]}» không hợp lệ; cho phép {allowed} "
                           f"(mặc định {default}).", field=name)
    return value
