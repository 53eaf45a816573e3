"""The kit teaches the guide in its own words: no run of 15 words copied from it."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from support import ROOT

GUIDE = ROOT.parent / "shared" / "guide" / "source-guide.txt"
RUN = 15


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _text(path) -> str:
    raw = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        return "\n".join("".join(c.get("source", "")) for c in json.loads(raw).get("cells", []))
    return raw


@pytest.mark.skipif(not GUIDE.is_file(), reason="the guide (../shared/guide) is not beside this checkout")
def test_no_file_repeats_fifteen_words_of_the_guide():
    words = _words(GUIDE.read_text(encoding="utf-8"))
    runs = {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    copied = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".ipynb", ".md", ".py", ".csv", ".txt", ".html", ".json"} and path.is_file():
            ws = _words(_text(path))
            hit = next(
                (" ".join(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1) if tuple(ws[i : i + RUN]) in runs), None
            )
            if hit:
                copied.append(f"{name}: '{hit}'")
    assert not copied, "say it in the kit's own words:\n" + "\n".join(copied)
