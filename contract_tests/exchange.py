"""A request, its answer, and how both are shown: the request as a curl command, never with the key.

Requests name the key only as `KEY`, the text ``$APIFRAME_API_KEY``; the client puts the real key in
at the moment of sending, so no request object, report or failure message can hold it.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

KEY = "$APIFRAME_API_KEY"
BEARER_KEY = f"Bearer {KEY}"
JSON_HEADERS: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)

_NOT_JSON = object()


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request as the suite sends it: exact headers and body bytes."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def curl(self, base_url: str) -> str:
        """Return a curl command that sends this request again, reading the key from the environment."""
        parts = ["curl", "-sS", "-i", "-X", self.method, shlex.quote(base_url + self.path)]
        names = {name.lower() for name, _ in self.headers}
        for name, value in self.headers:
            # curl drops a header given as "Name:"; "Name;" is how it sends one with an empty value.
            header = f"{name}: {value}" if value else f"{name};"
            parts += ["-H", _shell_with_key(header) if KEY in value else shlex.quote(header)]
        if self.body is not None:
            if "content-type" not in names:
                parts += ["-H", shlex.quote("Content-Type:")]
            parts += ["--data-binary", _shell_bytes(self.body)]
        return " ".join(parts)

    def describe(self) -> dict[str, Any]:
        """Return the request as JSON-ready data (the key appears only as its variable)."""
        return {
            "method": self.method,
            "path": self.path,
            "headers": [list(header) for header in self.headers],
            "body": None if self.body is None else self.body.decode("utf-8", "backslashreplace"),
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server sent back; the key, should a server echo it, is already replaced by `KEY`."""

    status: int
    headers: tuple[tuple[str, str], ...]
    raw: bytes

    @property
    def content_type(self) -> str:
        """Return the Content-Type header, or "" when there is none."""
        return next((value for name, value in self.headers if name.lower() == "content-type"), "")

    @property
    def media_type(self) -> str:
        """Return the Content-Type without its parameters, lower-cased ("" when there is none)."""
        return self.content_type.split(";", 1)[0].strip().lower()

    @property
    def is_json(self) -> bool:
        """Say whether the body parses as JSON."""
        return self._decoded() is not _NOT_JSON

    @property
    def body(self) -> Any:
        """Return the decoded JSON body, or None when the body is not JSON (see `is_json`)."""
        value = self._decoded()
        return None if value is _NOT_JSON else value

    def _decoded(self) -> Any:
        try:
            return json.loads(self.raw)
        except (ValueError, RecursionError):
            return _NOT_JSON

    def describe(self) -> dict[str, Any]:
        """Return the answer as JSON-ready data: status, content type and body (text if not JSON)."""
        text = self.raw[:2000].decode("utf-8", "backslashreplace")
        return {"status": self.status, "content_type": self.content_type, "body": self.body if self.is_json else text}

    def summary(self) -> str:
        """Return one line: status, content type and the start of the body."""
        text = self.raw[:300].decode("utf-8", "backslashreplace")
        return f"{self.status} {self.content_type or '(no content type)'} {text}"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request to `base_url` and its answer (None when the connection ended without one, saying why)."""

    base_url: str
    request: Request
    answer: Answer | None
    problem: str = ""

    def curl(self) -> str:
        """Return the request as a curl command against the same server."""
        return self.request.curl(self.base_url)

    def explain(self) -> str:
        """Return the request as curl and the answer, on two lines, for a failure message."""
        answer = self.answer.summary() if self.answer is not None else f"no answer ({self.problem})"
        return f"request: {self.curl()}\nanswer:  {answer}"

    def describe(self) -> dict[str, Any]:
        """Return the request (with its curl form) and the answer as JSON-ready data."""
        answer = self.answer.describe() if self.answer is not None else {"problem": self.problem}
        return {"request": {**self.request.describe(), "curl": self.curl()}, "answer": answer}

    def size(self) -> int:
        """Return the request body's length: the smaller, the more minimal the reproduction."""
        return len(self.request.body or b"") + len(self.request.path)


def json_body(value: object) -> bytes:
    """Encode `value` as the request body, ASCII-only so that the curl reproduction is plain text."""
    return json.dumps(value).encode()


def _shell_with_key(text: str) -> str:
    """Quote `text` for the shell so that the key's variable, and nothing else in it, is filled in."""
    escaped = (re.sub(r'(["\\$`])', r"\\\1", part) for part in text.split(KEY))
    return '"' + "${APIFRAME_API_KEY}".join(escaped) + '"'


def _shell_bytes(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.isprintable():
        return shlex.quote(text)
    # Bash's $'...' quoting carries any byte, so the exact body can be replayed.
    return "$'" + "".join(_escape_byte(byte) for byte in body) + "'"


def _escape_byte(byte: int) -> str:
    char = chr(byte)
    if 0x20 <= byte < 0x7F and char not in "'\\":
        return char
    return f"\\x{byte:02x}"
