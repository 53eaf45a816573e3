"""The learner profile: validated with fixes spelled out, saved and reused, sample learner as fallback."""

from __future__ import annotations

import pytest

from rotation_kit.runtime.profile import (
    ACGME_SPECIALTIES,
    GUIDE_SPECIALTIES,
    SAMPLE_PROFILE,
    ProfileError,
    load_profile,
    profile_problems,
    sample_data_specialty,
    save_profile,
)
from rotation_kit.runtime.state import load_part, save_part


@pytest.fixture(autouse=True)
def scratch_home(monkeypatch, tmp_path):
    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))


def test_sample_profile_is_valid():
    assert profile_problems(SAMPLE_PROFILE) == []


def test_each_problem_is_named_with_its_fix():
    bad = dict(SAMPLE_PROFILE, target_specialty="Surgeon", tie_states=["new jersey"], budget_usd=-5)
    del bad["needs_visa"]
    problems = " ".join(profile_problems(bad))
    assert "Surgeon" in problems and "two-letter" in problems and "negative" in problems and "needs_visa" in problems


def test_bool_is_not_accepted_as_a_number_and_text_is_not_a_bool():
    assert profile_problems(dict(SAMPLE_PROFILE, budget_usd=True))
    assert profile_problems(dict(SAMPLE_PROFILE, has_usce="yes"))


def test_saved_profile_is_reused(capsys):
    mine = dict(SAMPLE_PROFILE, name="Ana", target_specialty="Pathology")
    save_profile(mine)
    assert load_profile()["name"] == "Ana"
    assert "from module 00_start_here" in capsys.readouterr().out


def test_invalid_profile_is_not_saved():
    with pytest.raises(ProfileError):
        save_profile({"name": "x"})


def test_missing_profile_falls_back_to_the_sample_and_names_module_00(capsys):
    assert load_profile() == SAMPLE_PROFILE
    assert "00_start_here" in capsys.readouterr().out


def test_corrupted_saved_part_falls_back(tmp_path, capsys):
    (tmp_path / "shortlist.json").write_text("{not json", encoding="utf-8")
    assert load_part("shortlist", "fallback", made_in="03_where_to_rotate") == "fallback"
    assert "03_where_to_rotate" in capsys.readouterr().out


def test_tables_round_trip_through_save_part():
    import pandas as pd

    save_part("shortlist", pd.DataFrame({"program_id": ["P001"], "role": ["reach"]}))
    table = load_part("shortlist", None, made_in="03", verbose=False)
    assert list(table.columns) == ["program_id", "role"]


@pytest.mark.parametrize(
    "specialty",
    ["Neurology", "Anesthesiology", "Diagnostic Radiology", "Surgery", "Obstetrics and Gynecology", *GUIDE_SPECIALTIES],
)
def test_any_acgme_specialty_is_accepted(specialty):
    assert specialty in ACGME_SPECIALTIES
    assert profile_problems(dict(SAMPLE_PROFILE, target_specialty=specialty)) == []


@pytest.mark.parametrize(
    "typed, suggestion",
    [
        ("OB/GYN", "Obstetrics and Gynecology"),
        ("Neurolgy", "Neurology"),
        ("radiology", "Diagnostic Radiology"),
        ("anesthesia", "Anesthesiology"),
        ("internal medicine", "Internal Medicine"),
    ],
)
def test_a_near_miss_gets_a_did_you_mean(typed, suggestion):
    (problem,) = profile_problems(dict(SAMPLE_PROFILE, target_specialty=typed))
    assert "Did you mean" in problem and repr(suggestion) in problem


def test_training_status_is_student_or_graduate_and_agrees_with_the_years():
    assert profile_problems(dict(SAMPLE_PROFILE, training_status="student", years_since_graduation=0)) == []
    assert profile_problems(dict(SAMPLE_PROFILE, training_status="resident"))
    assert profile_problems(dict(SAMPLE_PROFILE, training_status="student", years_since_graduation=3))
    assert profile_problems(dict(SAMPLE_PROFILE, years_since_graduation=-1))
    missing = dict(SAMPLE_PROFILE)
    del missing["training_status"]
    assert any("training_status" in p for p in profile_problems(missing))


def test_a_profile_saved_before_the_status_fields_is_kept_and_completed(capsys):
    old = {k: v for k, v in SAMPLE_PROFILE.items() if k not in ("training_status", "years_since_graduation")}
    save_part("profile", dict(old, name="Old learner", target_specialty="Neurology"))
    got = load_profile()
    assert got["name"] == "Old learner" and got["training_status"] == "graduate"
    assert "training_status" in capsys.readouterr().out


def test_a_specialty_without_sample_programs_is_told_so_and_kept(capsys):
    profile = dict(SAMPLE_PROFILE, target_specialty="Neurology")
    assert sample_data_specialty(profile) == "Internal Medicine"
    out = capsys.readouterr().out
    assert "no programs" in out and "Neurology" in out
    assert profile["target_specialty"] == "Neurology"
    assert sample_data_specialty(dict(SAMPLE_PROFILE, target_specialty="Pathology"), verbose=False) == "Pathology"
