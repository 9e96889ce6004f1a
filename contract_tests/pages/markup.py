"""Building HTML that is safe by construction: data is escaped as it goes in, only markup built here is not."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 0; background: #f4f6f9; }
header { background: #1d2330; color: #fff; padding: 0.8rem 1.4rem; }
header h1 { margin: 0; font-size: 1.2rem; }
header p { margin: 0.2rem 0 0; color: #c9d1e0; }
main { padding: 1rem 1.4rem; max-width: 1200px; }
section { background: #fff; border: 1px solid #d9dde5; border-radius: 6px; padding: 0.6rem 1rem; margin-bottom: 1rem; }
h2 { font-size: 1.05rem; margin: 0.2rem 0 0.6rem; }
h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #d9dde5; vertical-align: top; }
th { color: #5b6474; }
pre { background: #f4f6f9; padding: 0.5rem; white-space: pre-wrap; word-break: break-all; margin: 0.2rem 0; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
blockquote { margin: 0.3rem 0; padding: 0.2rem 0.8rem; border-left: 3px solid #b8c0cf; color: #3b4455; }
.verdict { font-weight: 700; white-space: nowrap; }
.verdict.held, .verdict.same { color: #1f7a3d; }
.verdict.drifted, .verdict.drift { color: #b3261e; }
.verdict.not-checked, .verdict.within { color: #6b5a00; }
tr.drifted, tr.drift { background: #fdecea; }
tr.held, tr.same { background: #eef7f0; }
tr.not-checked, tr.within { background: #fbf6e3; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 3px; font-size: 0.8rem; border: 1px solid; }
.documented { color: #2456c8; border-color: #2456c8; }
.assumed { color: #7a4cc2; border-color: #7a4cc2; }
.label { color: #5b6474; font-size: 0.85rem; margin-top: 0.4rem; }
.rule-id { white-space: nowrap; }
"""
_CODE = re.compile(r"`([^`]+)`")


class Html(str):
    """Markup built by this module; any other string put into an element is escaped."""

    __slots__ = ()


def element(name: str, *children: object, **attributes: str) -> Html:
    """Return the element `name` holding `children` (escaped unless `Html`; None left out), with `attributes`."""
    inner = "".join(child if isinstance(child, Html) else escape(str(child)) for child in children if child is not None)
    # A trailing underscore lets a Python keyword stand for the attribute: class_="held".
    shown = "".join(f' {key.rstrip("_")}="{escape(value)}"' for key, value in attributes.items())
    return Html(f"<{name}{shown}>{inner}</{name}>")


def join(parts: list[Html]) -> Html:
    """Return `parts` one after another."""
    return Html("".join(parts))


def prose(text: str) -> Html:
    """Return a rule's text escaped, each `backticked` span in it as code, as CONTRACT.md's Markdown shows it."""
    # Split on the spans, the text between them takes the even places and the spans the odd ones.
    parts = _CODE.split(text)
    return join([element("code", part) if index % 2 else Html(escape(part)) for index, part in enumerate(parts)])


def rule_id(identifier: str) -> Html:
    """Return a rule's id as code that never wraps at its hyphens."""
    return element("code", identifier, class_="rule-id")


def pretty(value: object) -> str:
    """Return `value` as indented JSON, or itself if it is already text."""
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def source_badge(source: str) -> Html:
    """Return the mark of a rule's source: documented by the vendor, or assumed by the project."""
    return element("span", source, class_=f"badge {source}")


def document(title: str, heading: Html, body: Html) -> str:
    """Return a whole page: its title, a heading band and `body`, styled inline and allowed nothing else."""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    # The one inline style sheet is allowed by its hash: no script, no other style, no image or font loads.
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{element('title', title)}\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{element('header', heading)}\n{element('main', body)}\n</body>\n</html>\n"
    )
