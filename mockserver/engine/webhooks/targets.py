"""Which URLs the mock may POST webhooks to: loopback hosts, and the hosts the user allows."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ...wire import quote_id

ALLOW_FLAG = "--webhook-allow"
"""The `serve` flag that names one more host the mock may call."""
ALLOW_ANY = "any"
"""The value of `ALLOW_FLAG` that lets the mock call every host."""

_LOOPBACK_HOSTS = "127.0.0.0/8, ::1, localhost"
_LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.ip_address("::1")
_EXAMPLE = "such as http://127.0.0.1:9000/hook"
_ABSOLUTE = f"give an absolute http or https URL, {_EXAMPLE}"
_SCHEMES = ("http", "https")
# DNS caps a name at 253 characters: a longer host cannot be called, and would swamp the message.
_MAX_HOST_CHARS = 253
_HOST_NAME = re.compile(r"[\w-]+(\.[\w-]+)*\.?")


def _normal(host: str) -> str:
    """Return `host` as compared: lower case, IPv6 unbracketed, an IP address in its one written form."""
    host = host.strip("[]").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def _is_loopback(host: str) -> bool:
    # Only literals count: resolving a name would let a DNS answer, not the user, decide whom the mock calls.
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address in _LOOPBACK_V4 or address == _LOOPBACK_V6


def _is_host(host: str) -> bool:
    if len(host) > _MAX_HOST_CHARS:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return _HOST_NAME.fullmatch(host) is not None
    return True


def _port_text(netloc: str) -> str:
    """Return what stands after the host's colon in `netloc`, userinfo and IPv6 brackets aside."""
    host_port = netloc.rpartition("@")[2]
    return host_port.rpartition("]")[2].partition(":")[2]


@dataclass(frozen=True, slots=True)
class Hook:
    """Where a submission asked for its task's webhooks to go, the secret they carry, and how they are worded.

    With a `form` (registered in `forms`), each step is worded by it, only the `events` asked for are
    sent, and a `signing` key (hex) signs each body.
    """

    url: str
    secret: str | None = None
    form: str | None = None
    events: tuple[str, ...] = ()
    signing: str | None = None

    def to_json(self) -> dict[str, object]:
        """Return the hook as JSON, as a shared store keeps it; the defaults left out."""
        shown: dict[str, object] = {"url": self.url, "secret": self.secret}
        if self.form is not None:
            shown.update(form=self.form, events=list(self.events), signing=self.signing)
        return shown

    @classmethod
    def from_json(cls, value: dict[str, object]) -> Hook:
        """Read a hook written by `to_json`."""
        events = value.get("events")
        form, signing, secret = value.get("form"), value.get("signing"), value.get("secret")
        return cls(
            str(value["url"]),
            secret if isinstance(secret, str) else None,
            form if isinstance(form, str) else None,
            tuple(str(event) for event in events) if isinstance(events, list) else (),
            signing if isinstance(signing, str) else None,
        )


@dataclass(frozen=True, slots=True)
class TargetPolicy:
    """The hosts the mock may deliver webhooks to: loopback, plus `allowed` (``any`` allows every host)."""

    allowed: tuple[str, ...] = ()

    def refusal(self, url: object) -> str | None:
        """Return None if the mock may POST to `url`, else a one-line message saying why not and what is allowed."""
        if not isinstance(url, str):
            return f"webhook_url is not a string: {_ABSOLUTE}"
        quoted = f"webhook_url {quote_id(url)}"
        try:
            parts = urlsplit(url)
        except ValueError:
            return f"{quoted} is not a URL that can be read: {_ABSOLUTE}"
        if parts.scheme not in _SCHEMES:
            return f"{quoted} is not an http or https URL: give an absolute URL, {_EXAMPLE}"
        host = parts.hostname
        if not host:
            return f"{quoted} names no host: {_ABSOLUTE}"
        if not _is_host(host):
            return f"{quoted} names no usable host: give a host name or an IP address, {_EXAMPLE}"
        try:
            in_range = parts.port != 0
        except ValueError:
            in_range = False
        if not in_range:
            return f"{quoted} has port {quote_id(_port_text(parts.netloc))}: a port is a number from 1 to 65535"
        if self._allows(host):
            return None
        return (
            f"{quoted} names host {host}, which the mock does not call: it calls {self._callable()}; "
            f"allow it with serve {ALLOW_FLAG} {host}, or {ALLOW_FLAG} {ALLOW_ANY}"
        )

    def _allows(self, host: str) -> bool:
        host = _normal(host)
        if _is_loopback(host) or ALLOW_ANY in self.allowed:
            return True
        return any(_normal(allowed) == host for allowed in self.allowed)

    def _callable(self) -> str:
        if not self.allowed:
            return f"loopback hosts only ({_LOOPBACK_HOSTS})"
        return f"loopback hosts ({_LOOPBACK_HOSTS}) and {', '.join(self.allowed)} only"
