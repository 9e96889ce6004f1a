"""The mock's guesses on points the docs leave open, held to what production does, and calibrated from it.

A guess is a rule nothing relies on (the case of ``bearer``, blanks around the key, the status of
/fetch for an unknown id). Production doing otherwise is not drift: the run lists it apart, as "the mock
guessed X; production does Y", with the setting that makes the mock do Y, and exits 0 unless
``--strict``. `--calibrate FILE` writes what production did as that settings file; a later run given
it with ``--calibrated FILE`` holds production to it, so a change after calibration is drift.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.calibration import (
    CALIBRATION_FORMAT,
    META_TABLE,
    REFUSED_ELSEWISE,
    TABLES,
    Calibration,
    is_unknown_id_status,
    load_calibration,
)

from .exchange import Exchange
from .oracle import KEY_REFUSED, Drift
from .rules import RULES, RULES_BY_ID, Source

KEY_FIRST = "the key first"
"""AUTH-FIRST's guess: of a bad key and a bad body, the key is refused."""
ONCE_PER_ASK = "at most once per ask"
"""IDS-COUNT's guess: how often a task comes back."""
_ANSWER_TO_THE_BODY = "an answer to the body (no 5xx, 401, 403 or 429)"
_EITHER = "the key refused (401 or 403), or the body (another client error but 429)"
UNSETTABLE: dict[str, tuple[object, str]] = {
    "AUTH-BLANKS": (True, "the mock's HTTP server decides it"),
    "AUTH-FIRST": (KEY_FIRST, "the mock judges the key before it reads the body"),
    "BODY-NOT-OBJECT": (400, "the mock refuses a bad request with 400 whatever is wrong with it"),
    "IDS-COUNT": (ONCE_PER_ASK, "the mock answers a task at most once per ask"),
    "SUBMIT-TYPES": (400, "the mock refuses a submission with 400 whatever is wrong with it"),
    "ROUTE-UNSEEN": (401, "the mock serves every route an official client calls"),
    "SUBMIT-PARENT": (400, "the mock refuses a submission with 400 whatever is wrong with it"),
    "V2-REFUSAL-FREE": ("free", "the mock charges only for a job it starts"),
    "V2-UNKNOWN-PATH": ("v2's error shape", "the mock answers every /v2 path it does not serve so"),
    "V2-CREDIT-COST": ("the mock's price", "the mock charges one price per modality"),
    "V2-EXPIRED": (False, "the mock never purges a job's files"),
    "V2-COMPLETED-AT": ("set once ended", "the mock stamps a job when it ends"),
    "V2-WEBHOOK-STATUS": ("null", "the mock has no webhook status without a webhook"),
}
"""The guesses no setting changes, each with the mock's answer and why no setting changes it."""


def toml_value(value: object) -> str:
    """Return `value` as TOML writes it: ``true``, ``404``."""
    return str(value).lower() if isinstance(value, bool) else str(value)


class GuessDiffers(AssertionError):
    """Production does otherwise than the mock guessed, on a point nothing relies on: listed apart, not drift."""

    def __init__(self, setting: str, guessed: object, observed: object, exchange: Exchange, because: str = "") -> None:
        self.setting, self.guessed, self.observed, self.exchange = setting, guessed, observed, exchange
        self.because = because
        """Why the whole of `setting` (a route) is a guess, when it is one by where it is rather than a value."""
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        """Say what the mock guessed, what production does, and the setting that makes the mock do it."""
        if self.because:
            return f"{self.setting}: {self.because}, so the mock's answer is a guess; production: {self.observed}"
        if self.setting in UNSETTABLE:
            return (
                f"the mock guessed {toml_value(self.guessed)}; production does {toml_value(self.observed)}: "
                f"no setting changes it, as {UNSETTABLE[self.setting][1]}"
            )
        table, name = self.setting.split(".")
        return (
            f"the mock guessed {self.setting} = {toml_value(self.guessed)}; production does "
            f"{toml_value(self.observed)}: [{table}] {name} = {toml_value(self.observed)} in a calibration file "
            "(contract --calibrate FILE writes it) makes the mock do so"
        )

    def describe(self) -> dict[str, Any]:
        """Return the guess as JSON-ready data, with the exchange that showed it."""
        shown = {"guessed": self.guessed, "observed": self.observed, **self.exchange.describe()}
        return {"reason": self.reason, "setting": self.setting, **shown}


def answers_the_body(status: int) -> bool:
    """Say whether `status` may be a server's answer to a body: not a server error, nor a key or a limit refused."""
    return status < 500 and status not in REFUSED_ELSEWISE


def refuses_the_body(status: int) -> bool:
    """Say whether `status` refuses a request for its body: a client error, not a key or a limit refused."""
    return 400 <= status < 500 and answers_the_body(status)


def _status_within(exchange: Exchange, allowed: Callable[[int], bool], expected: str) -> int:
    """Return the status of `exchange`; raise Drift if there is none or `allowed` refuses it (`expected`, in words)."""
    answer = exchange.answer
    if answer is None:
        raise Drift(f"no answer: {exchange.problem}", exchange)
    if not allowed(answer.status):
        raise Drift(f"expected {expected}, got {answer.status}", exchange)
    return answer.status


@contextmanager
def drift_as_guess(where: str, because: str) -> Iterator[None]:
    """Where `because` says why the mock's behaviour at `where` is a guess, list a drift inside apart as one."""
    try:
        yield
    except Drift as drift:
        if not because:
            raise
        raise GuessDiffers(where, "the mock's answer", drift.reason, drift.exchange, because) from None


@dataclass(slots=True)
class Guesses:
    """What each guess is held to (the mock's defaults, or a calibration), and what production was seen to do."""

    expected: dict[str, object] = field(default_factory=lambda: Calibration().values())
    calibrated_on: str = ""
    """The date of the calibration the run holds production to; empty when it holds it to the mock's guesses."""
    observed: dict[str, object] = field(default_factory=dict)

    @classmethod
    def calibrated(cls, path: Path) -> Guesses:
        """Hold production to the calibration file at `path`; raise UsageError (naming file, line) if it is bad."""
        import tomllib

        calibration = load_calibration(path)
        meta = tomllib.loads(path.read_text(encoding="utf-8")).get(META_TABLE, {})
        date = str(meta.get("date", "an unknown date")) if isinstance(meta, dict) else "an unknown date"
        return cls(calibration.values(), date)

    def settle(self, rule_id: str, observed: object, exchange: Exchange, guessed: object = None) -> None:
        """Record what production did on the guess of `rule_id`; raise if it is not what the run expects.

        `guessed`, when given, is what the mock does in this very case (a price by modality), for a guess no
        setting changes.
        """
        setting = RULES_BY_ID[rule_id].setting or rule_id
        self.observed.setdefault(setting, observed)
        calibrated = setting in self.expected
        expected = self.expected[setting] if calibrated else UNSETTABLE[rule_id][0] if guessed is None else guessed
        if observed == expected:
            return
        if self.calibrated_on and calibrated:
            raise Drift(
                f"{setting} was {toml_value(expected)} when calibrated on {self.calibrated_on}, "
                f"is now {toml_value(observed)}",
                exchange,
            )
        raise GuessDiffers(setting, expected, observed, exchange)

    def settle_status(
        self,
        rule_id: str,
        exchange: Exchange,
        allowed: Callable[[int], bool] = is_unknown_id_status,
        expected: str = "a client error saying no task has the id",
    ) -> None:
        """Settle a guess about a status: one `allowed` allows (`expected`, in words) is a guess; the rest is drift."""
        self.settle(rule_id, _status_within(exchange, allowed, expected), exchange)

    def settle_body_status(self, rule_id: str, exchange: Exchange) -> None:
        """Settle a guess about the status a body gets: any answer but a 5xx or `REFUSED_ELSEWISE` is one."""
        self.settle_status(rule_id, exchange, answers_the_body, _ANSWER_TO_THE_BODY)

    def settle_taken(self, rule_id: str, exchange: Exchange) -> None:
        """Settle a guess about whether a body is taken: a 2xx takes it, another answer to the body refuses it."""
        status = _status_within(exchange, answers_the_body, _ANSWER_TO_THE_BODY)
        self.settle(rule_id, 200 <= status < 300, exchange)

    def settle_key_first(self, exchange: Exchange) -> None:
        """Settle AUTH-FIRST on a bad key sent with a bad body: a key refused is the guess, a body refused a miss."""
        status = _status_within(exchange, lambda status: status in KEY_REFUSED or refuses_the_body(status), _EITHER)
        self.settle("AUTH-FIRST", KEY_FIRST if status in KEY_REFUSED else f"the body first ({status})", exchange)

    def write(self, path: Path, target: str) -> None:
        """Write what production did on every guess as a calibration file; a guess not seen keeps the mock's."""
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        lines = [
            "# What production did where the docs leave the API open, written by `apiframe-mock contract --calibrate`.",
            "# `apiframe-mock serve --config FILE` (or the plugin's `@pytest.mark.apiframe_mock(config=FILE)`) makes",
            "# the mock answer so; `apiframe-mock contract --calibrated FILE` holds production to it. Edit it freely;",
            "# it never holds a key.",
            f"[{META_TABLE}]",
            f"format = {CALIBRATION_FORMAT}",
            f'date = "{today}"',
            f'target = "{target}"',
        ]
        rules = {rule.setting: rule for rule in RULES if rule.source is Source.GUESS}
        for table, names in TABLES.items():
            lines += ["", f"[{table}]"]
            for name in names:
                setting = f"{table}.{name}"
                seen = setting in self.observed
                value = self.observed[setting] if seen else self.expected[setting]
                note = "" if seen else " (not seen in this run: the mock's guess)"
                lines += [f"# {rules[setting].id}: {rules[setting].title}{note}", f"{name} = {toml_value(value)}"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
