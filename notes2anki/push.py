"""``notes2anki push``: import the built decks into a running Anki through AnkiConnect.

AnkiConnect (the Anki add-on 2055492159) answers JSON requests on ``http://127.0.0.1:8765``;
``importPackage`` runs Anki's own importer on a file path, so a push updates cards in place
exactly as *File › Import* does. Anki reads the file itself, so it must run on this machine.

Library code: returns results and raises ``AnkiConnectError``, never prints (``cli.py`` does that).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

API_VERSION = 6  # the AnkiConnect API version these requests are written for


class AnkiConnectError(Exception):
    """AnkiConnect could not be reached, or refused a request: the message says which, and why."""


class KeyRefused(AnkiConnectError):
    """AnkiConnect has an API key set, and the request did not carry it."""


@dataclass
class Pushed:
    """One deck sent to Anki, and how many of its category's cards Anki holds before and after."""

    path: Path
    category: str
    cards_before: int
    cards_after: int


class AnkiConnect:
    def __init__(self, url: str, key: str | None = None, timeout: float = 300) -> None:
        self.url = url
        self.key = key
        self.timeout = timeout  # a large deck takes Anki a while to import

    def call(self, action: str, **params):
        request = {"action": action, "version": API_VERSION, "params": params}
        if self.key:
            request["key"] = self.key
        data = json.dumps(request).encode("utf-8")
        http = urllib.request.Request(self.url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(http, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, socket.timeout) as error:
            reason = getattr(error, "reason", error)  # urllib wraps the socket's error
            words = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
            raise AnkiConnectError(
                f"cannot reach AnkiConnect at {self.url} ({words}): is Anki running, with the AnkiConnect "
                "add-on (2055492159) installed?"
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise AnkiConnectError(f"{self.url} did not answer as AnkiConnect does (no JSON reply)") from None
        if not isinstance(answer, dict) or set(answer) != {"result", "error"}:
            raise AnkiConnectError(f"{self.url} did not answer as AnkiConnect does: {str(answer)[:200]}")
        error = answer["error"]
        if error is not None:
            if "api key" in str(error).lower():
                raise KeyRefused(f"AnkiConnect refused the API key ({error})")
            raise AnkiConnectError(f"Anki says: {error}")
        return answer["result"]

    def check(self) -> int:
        """AnkiConnect's API version; raises when it is too old for these requests."""
        version = self.call("version")
        if not isinstance(version, int) or version < API_VERSION:
            raise AnkiConnectError(f"AnkiConnect at {self.url} speaks API version {version}; update the add-on (version {API_VERSION} or later is needed)")
        return version

    def cards_in(self, category: str) -> int:
        return len(self.call("findCards", query=f'deck:"{_search_text(category)}"'))

    def import_deck(self, path: Path, category: str) -> Pushed:
        before = self.cards_in(category)
        if self.call("importPackage", path=str(path.resolve())) is not True:
            raise AnkiConnectError(f"Anki did not import {path}: no collection is open (choose a profile in Anki)")
        return Pushed(path, category, before, self.cards_in(category))


def _search_text(name: str) -> str:
    """A deck name inside an Anki search's double quotes: its wildcards and quotes taken literally."""
    return "".join("\\" + char if char in '\\"*_' else char for char in name)
