"""notebooks/ is generated from solutions/ by one command; fail when it drifts."""

from __future__ import annotations

import json

from support import ROOT

from rotation_kit.course import build_learner_notebooks, modules


def _cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return nb


def test_learner_notebooks_match_a_fresh_build(tmp_path):
    build_learner_notebooks(tmp_path)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.ipynb"))
    committed = sorted(p.relative_to(ROOT / "notebooks") for p in (ROOT / "notebooks").rglob("*.ipynb"))
    assert built == committed, "notebooks/ has different files than a fresh build: run `make notebooks`"
    for rel in built:
        assert _cells(tmp_path / rel) == _cells(ROOT / "notebooks" / rel), (
            f"notebooks/{rel} differs from what `make notebooks` builds from solutions/: run `make notebooks`"
        )


def test_every_module_is_released():
    released = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir())
    assert released == modules(ROOT)
