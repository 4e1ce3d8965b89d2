"""A real headless Chromium for the HTML pages' tests: the page's DOM after scripts ran, a
screenshot, and every network request the page itself made (read from Chromium's net log)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

CHROMIUM = shutil.which("chromium")
NO_CHROMIUM = "chromium is not installed (apt-get install chromium); CI installs it"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class Page(HTMLParser):
    """Every element with its attributes and all the text inside it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def by_id(self, value: str) -> Element:
        [element] = [e for e in self.elements if e.attrs.get("id") == value]
        return element

    def by_class(self, value: str) -> list[Element]:
        return [e for e in self.elements if value in e.classes]

    def tags(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def chromium(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throwaway HOME and profile, bounded in time."""
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               # no name resolves: the browser's own update and account calls go nowhere
               "--host-resolver-rules=MAP * ~NOTFOUND",
               f"--user-data-dir={home / 'profile'}", *args]  # fmt: skip
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


BROWSER_ITSELF = "not an origin"  # the initiator of Chromium's own requests (updates, ...)


def page_requests(net_log: Path) -> list[str]:
    """The URLs of every request a page started (not Chromium's own), from a --log-net-log."""
    data = json.loads(net_log.read_text(encoding="utf-8"))
    names = {number: name for name, number in data["constants"]["logEventTypes"].items()}
    starts = [
        event.get("params", {})
        for event in data["events"]
        if names.get(event["type"]) == "URL_REQUEST_START_JOB"
    ]
    return [
        str(params["url"])
        for params in starts
        if "url" in params
        and params.get("initiator") != BROWSER_ITSELF
        and not str(params["url"]).startswith(("file:", "data:"))
    ]
