"""`apiframe-mock proxy`: forward an app's traffic to the API unchanged, and judge every exchange by the contract.

`main` runs the command; `Proxy` is the ASGI app that forwards, `Watch` the judge it reports to.
"""

from __future__ import annotations

from .command import main
from .forward import Proxy
from .watch import Watch

__all__ = ["Proxy", "Watch", "main"]
