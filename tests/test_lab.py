"""`make lab` gives nbgrader's JupyterLab panels what they need: an exchange in the kit, the kit's notebooks as 'downloaded'."""

from __future__ import annotations

import shutil
from pathlib import Path

from rotation_kit.course import modules, nbgrader_config
from rotation_kit.commands.lab import missing_releases
from rotation_kit.runtime.paths import temporary_env
from support import ROOT


def test_the_assignment_list_reads_the_same_settings_from_the_kit_and_from_notebooks(monkeypatch):
    monkeypatch.delenv("ROTATION_KIT_EXCHANGE", raising=False)
    # The panel loads nbgrader settings from the server's folder, then from the folder of the downloaded
    # assignments (notebooks/): both must name the same exchange and course.
    top, inner = nbgrader_config(ROOT), nbgrader_config(ROOT / "notebooks")
    assert top.Exchange.root == inner.Exchange.root == str(ROOT / "grading" / "exchange")
    assert top.Exchange.assignment_dir == inner.Exchange.assignment_dir == str(ROOT / "notebooks")
    assert top.CourseDirectory.course_id == inner.CourseDirectory.course_id


def test_a_shared_server_can_point_the_kit_at_its_own_exchange(tmp_path):
    with temporary_env(ROTATION_KIT_EXCHANGE=str(tmp_path)):
        assert nbgrader_config(ROOT).Exchange.root == str(tmp_path)


def test_only_modules_missing_from_the_exchange_are_released(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTATION_KIT_EXCHANGE", raising=False)
    kit = tmp_path / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    for module in modules(ROOT)[:2]:
        shutil.copytree(ROOT / "solutions" / module, kit / "solutions" / module)
        shutil.copytree(ROOT / "notebooks" / module, kit / "notebooks" / module)
    first, second = modules(kit)
    assert missing_releases(kit) == [first, second]
    course = nbgrader_config(kit).CourseDirectory.course_id
    Path(kit / "grading" / "exchange" / course / "outbound" / first).mkdir(parents=True)
    assert missing_releases(kit) == [second]
