"""What plain nbgrader commands write lands under grading/, which git ignores, never at the kit's root."""

from __future__ import annotations

import shutil
import subprocess

from support import ROOT

from rotation_kit.course import nbgrader_config, run_nbgrader


def test_nbgrader_folders_and_exports_are_under_grading_and_git_ignored():
    config = nbgrader_config(ROOT)
    written = {
        "solution_directory": config.CourseDirectory.solution_directory,
        "source_with_tests_directory": config.CourseDirectory.source_with_tests_directory,
        "submitted_directory": config.CourseDirectory.submitted_directory,
        "autograded_directory": config.CourseDirectory.autograded_directory,
        "feedback_directory": config.CourseDirectory.feedback_directory,
        "downloaded_directory": config.ZipCollectApp.downloaded_directory,
        "ExportPlugin.to": config.ExportPlugin.to,
        "gradebook": config.CourseDirectory.db_url.removeprefix("sqlite:///"),
    }
    outside = {name: path for name, path in written.items() if not str(path).startswith("grading/")}
    assert not outside, f"expected nbgrader's working files under grading/; these are not: {outside}"
    # Folders with a trailing slash, so that git matches them as folders even before nbgrader creates them.
    paths = [path if name in ("ExportPlugin.to", "gradebook") else f"{path}/" for name, path in written.items()]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert sorted(ignored) == sorted(paths), (
        f"not git-ignored: {sorted(set(paths) - set(ignored))} (add them to .gitignore)"
    )


def test_plain_nbgrader_export_and_source_with_tests_write_under_grading(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / "00_start_here", tmp_path / "solutions" / "00_start_here")
    (tmp_path / "grading").mkdir()
    for command in (["export"], ["generate_assignment", "00_start_here", "--source_with_tests", "--force"]):
        result = run_nbgrader(command, cwd=tmp_path, check=False, timeout=300)
        assert result.returncode == 0, f"nbgrader {' '.join(command)}: {result.stdout}{result.stderr}"
    assert (tmp_path / "grading" / "grades.csv").is_file()
    assert (tmp_path / "grading" / "source_with_tests" / "00_start_here").is_dir()
    at_root = sorted(p.name for p in tmp_path.iterdir())
    assert at_root == ["grading", "nbgrader_config.py", "notebooks", "solutions"], (
        f"expected nothing new at the course's root besides the released notebooks/; found {at_root}"
    )
