"""The generated data: rebuilt exactly by its seeded generator, fictional, and shaped by the sourced facts."""

from __future__ import annotations

import filecmp

import numpy as np
from support import ROOT

from rotation_kit.datasets import build_all
from rotation_kit.datasets.programs import IMG_SHARE_FACTS
from rotation_kit.runtime.loaders import load_dataset, load_programs
from rotation_kit.runtime.schemas import IMG_STATES, SPECIALTIES


def test_data_folder_is_exactly_what_the_generator_builds(tmp_path):
    written = build_all(tmp_path)
    for name in written:
        assert filecmp.cmp(tmp_path / name, ROOT / "data" / name, shallow=False), (
            f"data/{name} differs from the generator's output: run `make data`"
        )


def test_programs_cover_specialties_states_and_settings():
    programs = load_programs()
    assert set(programs["specialty"]) == set(SPECIALTIES)
    assert programs["state"].nunique() >= 12
    assert set(IMG_STATES) <= set(programs["state"])
    assert {"academic", "community"} <= set(programs["setting"])
    assert programs.groupby("specialty").size().min() >= 10


def test_img_share_follows_the_sourced_specialty_shares():
    programs = load_programs()
    for specialty, (share, _source) in IMG_SHARE_FACTS.items():
        rows = programs[programs["specialty"] == specialty]
        weighted = np.average(rows["img_share_pct"], weights=rows["positions"])
        assert abs(weighted - share) < 1.0, (specialty, weighted, share)


def test_top_tier_programs_take_fewer_imgs_than_community_programs():
    programs = load_programs()
    by_tier = programs.groupby("prestige_tier")["img_share_pct"].median()
    assert by_tier[1] < by_tier[3]


def test_host_fees_stay_within_the_sourced_upper_example():
    assert load_programs()["host_fee_usd"].max() <= 5000


def test_readme_says_the_data_is_fictional():
    text = (ROOT / "data" / "README.md").read_text()
    assert "fictional" in text.lower() and "programs.csv" in text


def test_the_sample_learners_timeline_has_the_rotations_of_their_records():
    """Module 08 shows both files for the same fictional learners: the same away rotations, on the same dates."""
    timeline = load_dataset("training_timeline.csv")
    records = load_dataset("rotation_records.csv")
    for learner in sorted(set(records["learner"])):
        rows = timeline[(timeline["learner"] == learner) & timeline["activity"].str.startswith("Away rotation")]
        in_timeline = sorted(zip(rows["start"], rows["end"], strict=True))
        mine = records[records["learner"] == learner]
        in_records = sorted(zip(mine["start_date"], mine["end_date"], strict=True))
        assert in_timeline == in_records, (
            f"{learner}: training_timeline.csv has away rotations {in_timeline}, rotation_records.csv has {in_records}"
        )
