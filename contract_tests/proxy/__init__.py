"""`apiframe-mock proxy`: forward an app's traffic to the API unchanged, and judge every exchange by the contract.

`main` runs the command; `Proxy` forwards, `Watch` is the judge it reports to, `RelayServer` serves a Proxy,
waiting on apps as long as its `Timeouts` say.

command    the flags, the server, and the reports written when it is stopped
serving    RelayServer: listening, and stopping once the exchanges under way are done
front      one connection from an app: requests parsed by httptools, taken in turn, timed out, refused
limits     how much the front takes from an app and how long it waits (Timeouts), and when each wait is due
message    a request as the front takes it (Incoming), its target reduced to path and query
answers    AnswerWriter: the answers written back, whole or in pieces, framed for what the app reads
body       a request body streamed on as it comes, reading held while the upstream is behind
forward    Proxy: forwards each request, holds an answer back to be judged, marks or refuses drift
asgi       the proxy's own routes (console) called as an ASGI app with one whole request
upstream   the client to the upstream: kept-alive connections, one opened whenever none is idle
connection one of them: one exchange at a time, the answer parsed by httptools
watch      Watch: each exchange judged by its API version's judge, tasks followed, flakes told apart
judgement  what one v1 exchange shows alone, judged once however often it is seen
journal    the newest exchanges and their findings; console serves them, and the dashboard, under /__mock__/
secrecy    the app's keys and webhook secrets kept out of all the proxy shows or writes
record, har, timelines, verdicts: the recording, and the reports written on exit
"""

from __future__ import annotations

from .command import main
from .forward import Proxy
from .limits import Timeouts
from .serving import RelayServer
from .watch import Watch

__all__ = ["Proxy", "RelayServer", "Timeouts", "Watch", "main"]
