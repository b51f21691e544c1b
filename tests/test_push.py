"""``notes2anki push`` against a stand-in for AnkiConnect that runs the real Anki backend.

The server answers the actions push uses (version, findCards, importPackage) the way the
AnkiConnect add-on does on current Anki, whose ``importPackage`` runs the collection's
package importer with these options; the collection is a temporary one.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from notes2anki.cli import main
from tests.conftest import write_note

NOTE = """
---
title: Messaging
category: AWS
---
# Messaging

- Pull-based queue -> Amazon SQS
- **SNS** pushes to subscribers
"""


class AnkiConnectStandIn(HTTPServer):
    def __init__(self, anki, key: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.anki = anki
        self.key = key
        self.actions: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def answer(self, request: dict):
        if self.key is not None and request.get("key") != self.key:
            raise PermissionError("valid api key must be provided")
        action, params = request["action"], request.get("params", {})
        self.actions.append(action)
        if action == "version":
            return 6
        if action == "findCards":
            return list(self.anki.col.find_cards(params["query"]))
        if action == "importPackage":
            options = ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=True, with_deck_configs=True)
            self.anki.col.import_anki_package(ImportAnkiPackageRequest(package_path=params["path"], options=options))
            self.anki.col.models._clear_cache()
            return True
        raise ValueError("unsupported action")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        try:
            reply = {"result": self.server.answer(request), "error": None}
        except Exception as error:  # AnkiConnect turns every failure into its error field
            reply = {"result": None, "error": str(error)}
        body = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def ankiconnect(anki):
    server = AnkiConnectStandIn(anki, key="secret")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_push_imports_the_decks_and_a_second_push_updates_cards_in_place(ankiconnect, anki, notes_dir, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("NOTES2ANKI_API_KEY", "secret")
    note = write_note(notes_dir, "aws.md", NOTE)
    out = str(tmp_path / "build")
    assert main(["push", str(notes_dir), "-o", out, "--anki-url", ankiconnect.url]) == 0
    assert "AWS.apkg: imported into Anki, which now has 2 cards in AWS (2 new)" in capsys.readouterr().out
    assert anki.rendered("Front:*") == [("Messaging Pull-based queue", "Messaging Pull-based queue Amazon SQS aws.md:7")]
    cards_before = sorted(anki.col.find_cards(""))
    assert anki.answer_all() == 2

    note.write_text(note.read_text(encoding="utf-8").replace("Amazon SQS", "Amazon Simple Queue Service"), encoding="utf-8")
    assert main(["push", str(notes_dir), "-o", out, "--anki-url", ankiconnect.url]) == 0
    assert "which now has 2 cards in AWS (0 new)" in capsys.readouterr().out
    assert anki.rendered("Front:*")[0][1] == "Messaging Pull-based queue Amazon Simple Queue Service aws.md:7"
    assert sorted(anki.col.find_cards("")) == cards_before  # the same cards, updated
    assert set(anki.review_counts().values()) == {1}  # with their review history
    assert ankiconnect.actions.count("importPackage") == 2


def test_a_wrong_api_key_is_named(ankiconnect, notes_dir, tmp_path, capsys) -> None:
    write_note(notes_dir, "aws.md", NOTE)
    assert main(["push", str(notes_dir), "-o", str(tmp_path / "build"), "--anki-url", ankiconnect.url, "--api-key", "wrong"]) == 2
    err = capsys.readouterr().err
    assert "AnkiConnect refused the API key (valid api key must be provided)" in err
    assert ankiconnect.actions == []


def test_anki_not_running_is_said_plainly_and_the_decks_are_still_built(notes_dir, tmp_path, capsys) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    write_note(notes_dir, "aws.md", NOTE)
    assert main(["push", str(notes_dir), "-o", str(tmp_path / "build"), "--anki-url", url]) == 2
    err = capsys.readouterr().err
    assert f"cannot reach AnkiConnect at {url} (Connection refused): is Anki running" in err
    assert "is Anki running, with the AnkiConnect add-on (2055492159) installed?" in err
    assert "Traceback" not in err
    assert (tmp_path / "build" / "AWS.apkg").is_file()


def test_a_deck_the_build_could_not_write_is_not_sent(ankiconnect, anki, notes_dir, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("NOTES2ANKI_API_KEY", "secret")
    write_note(notes_dir, "aws.md", NOTE)
    write_note(notes_dir, "net.md", "---\ncategory: Networking\n---\n- Port of HTTPS -> 443\n")
    out = str(tmp_path / "build")
    assert main(["push", str(notes_dir), "-o", out, "--anki-url", ankiconnect.url]) == 0
    write_note(notes_dir, "aws.md", NOTE + "- Fan-out -> SNS to SQS\n")
    write_note(notes_dir, "net.md", "---\ncategory: Networking\n---\n- Port of HTTPS -> 443 (TCP)\n")
    (tmp_path / "build" / "Networking.apkg").unlink()
    (tmp_path / "build" / "Networking.apkg").mkdir()  # where the deck should go, it cannot be written
    capsys.readouterr()
    assert main(["push", str(notes_dir), "-o", out, "--anki-url", ankiconnect.url]) == 2
    captured = capsys.readouterr()
    assert "Networking.apkg: not sent to Anki: this build could not write it" in captured.err
    assert "AWS.apkg: imported into Anki" in captured.out
    assert ankiconnect.actions.count("importPackage") == 3
