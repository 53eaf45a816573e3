"""The kit's command line: a version, `python -m rotation_kit`, and help for every argument."""

from __future__ import annotations

import argparse
import subprocess
import sys

import rotation_kit
from rotation_kit.cli import parser


def _walk(command: argparse.ArgumentParser, path: str):
    """(command path, action) for every argument of `command` and of all its sub-commands."""
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {choice.dest for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield f"{path} {name}", ("sub-command", name in helped)
                yield from _walk(sub, f"{path} {name}")
        else:
            yield path, (action.option_strings[0] if action.option_strings else action.dest, bool(action.help))


def test_every_command_and_argument_has_help():
    found = list(_walk(parser(), "rotation-kit"))
    missing = [f"{path}: {name}" for path, (name, has_help) in found if not has_help]
    assert len(found) > 40, f"expected the whole tree of commands (build, check, grade ...); walked {len(found)}"
    assert not missing, "arguments without help (add help=... in cli.py or its sub-parsers):\n" + "\n".join(missing)


def test_the_walk_notices_an_argument_without_help():
    demo = argparse.ArgumentParser()
    demo.add_subparsers().add_parser("go", help="go").add_argument("where")
    assert ("rotation-kit go", ("where", False)) in list(_walk(demo, "rotation-kit"))


def test_version_and_python_dash_m():
    for command in (
        [sys.executable, "-m", "rotation_kit", "--version"],
        [sys.executable, "-m", "rotation_kit.cli", "--version"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.strip() == f"rotation-kit {rotation_kit.__version__}", (
            f"{' '.join(command[1:])}: expected 'rotation-kit {rotation_kit.__version__}'; "
            f"got exit {result.returncode}: {result.stdout}{result.stderr}"
        )
    result = subprocess.run(
        [sys.executable, "-m", "rotation_kit", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "check" in result.stdout and "grade" in result.stdout, (
        result.stdout + result.stderr
    )
