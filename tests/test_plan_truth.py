"""A truthful plan: every part says where it came from, and the checks catch parts that contradict each other.

The scripted learners run the real learner notebooks (answers filled in from solutions/, as a
learner who solved them would have typed them) in a fresh kernel, one after the other, sharing
one my_plan folder; then they read the plan.json that module 09 wrote.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from support import ROOT

from rotation_kit.course.submissions import build_submission, solution_source
from rotation_kit.lessons import application, capstone, letters, where_to_rotate
from rotation_kit.runtime import state
from rotation_kit.runtime.answers import same_person
from rotation_kit.runtime.profile import SAMPLE_PROFILE, save_profile

PART_KEYS = [s.key for s in capstone.SECTIONS]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    return tmp_path


# ------------------------------------------------------------------ running notebooks as a learner
def run_module(module: str, home: Path, solved: bool = True, edits: dict[str, tuple[str, str]] | None = None):
    """Run the learner notebook of `module` top to bottom in a fresh kernel, saving into `home`.

    solved: fill every answer from the solution (False = the untouched notebook);
    edits: {cell id: (old text, new text)} applied after that, as a learner's own typing.
    """
    learner = ROOT / "notebooks" / module / f"{module}.ipynb"
    nb = (
        build_submission(learner, ROOT / "solutions" / module / f"{module}.ipynb")
        if solved
        else nbformat.read(learner, as_version=4)
    )
    for cell_id, (old, new) in (edits or {}).items():
        cell = next(c for c in nb.cells if c.get("id") == cell_id)
        assert old in cell.source, f"{module} {cell_id}: {old!r} not in the cell"
        cell.source = cell.source.replace(old, new)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(learner.parent)}}
    )
    saved = os.environ.get("ROTATION_KIT_HOME")
    os.environ["ROTATION_KIT_HOME"] = str(home)
    try:
        client.execute()
    finally:
        if saved is None:
            os.environ.pop("ROTATION_KIT_HOME", None)
        else:
            os.environ["ROTATION_KIT_HOME"] = saved
    return nb


def errors(nb) -> list[tuple[str, str]]:
    return [
        (c.get("id"), o.get("ename"))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def plan_json(home: Path) -> dict:
    return json.loads((home / capstone.PLAN_JSON).read_text(encoding="utf-8"))


def sources(record: dict) -> dict[str, str]:
    return {key: part["source"] for key, part in record["parts"].items()}


KOFI = """my_profile = {
    "name": "Kofi (scripted learner)",
    "target_specialty": "Pediatrics",
    "training_status": "graduate",
    "years_since_graduation": 1,
    "tie_states": ["GA", "NY"],
    "has_usce": False,
    "usce_months": 0,
    "training_gap_months": 6,
    "budget_usd": 8000,
    "needs_visa": True,
    "informatics_experience": ["Clinic vaccination reminder audit"],
}"""

OWN_PROGRAMS = pd.DataFrame(
    {
        "program_name": [
            "Pinecrest Children's Hospital Pediatrics (fictional)",
            "Harbour Bay Pediatrics Residency (fictional)",
            "Larkfield Community Pediatrics (fictional)",
            "Oxmoor University Pediatrics (fictional)",
        ],
        "specialty": ["Pediatrics"] * 4,
        "state": ["GA", "NY", "TX", "GA"],
        "img_share_pct": [41, 12, 55, 30],
        "visa_sponsorship": ["J-1", "J-1 and H-1B", "J-1", "none"],
        "accepts_visiting_imgs": [True, False, True, True],
        "telemedicine": [True, True, False, False],
    }
)


def write_own_list(folder: Path, kind: str) -> Path:
    """The learner's own list as they would export it: an Excel workbook, a European semicolon CSV
    (decimal commas, headers typed by a person), or a plain CSV."""
    if kind == "xlsx":
        path = folder / "my programs.xlsx"
        OWN_PROGRAMS.to_excel(path, index=False, sheet_name="Programs")  # openpyxl writes it
    elif kind == "semicolon":
        path = folder / "my programs.csv"
        typed = OWN_PROGRAMS.rename(columns={"program_name": "Program Name", "img_share_pct": "IMG share %"})
        typed["IMG share %"] = [f"{v},5" for v in OWN_PROGRAMS["img_share_pct"]]
        typed.to_csv(path, index=False, sep=";")
    else:
        path = folder / "my programs.csv"
        OWN_PROGRAMS.to_csv(path, index=False)
    return path


def profile_edit():
    solution = nbformat.read(ROOT / "solutions" / "00_start_here" / "00_start_here.ipynb", as_version=4)
    answer = next(c for c in solution.cells if c.get("id") == "ex01_answer").source
    old = answer.rsplit("my_profile = ", 1)[1].split("### END SOLUTION")[0].strip()  # the solution, after the template
    return {"ex01_answer": ("my_profile = " + old, KOFI)}


@pytest.mark.pipeline
@pytest.mark.parametrize("kind", ["xlsx", "semicolon", "csv"])
def test_a_learner_with_their_own_list_gets_hosts_from_it_and_every_source_right(tmp_path, kind):
    home, own = tmp_path / "my_plan", write_own_list(tmp_path, kind)
    home.mkdir()
    ran = [
        run_module("00_start_here", home, edits=profile_edit()),
        run_module(
            "03_where_to_rotate",
            home,
            edits={
                # Kofi answers for his own Pediatrics table (the solution's picks are Internal Medicine ids)
                "ex36_answer": (
                    'my_shortlist = {"reach": "P057", "realistic": ["P025", "P014"]}',
                    'my_shortlist = {"reach": "P108", "realistic": ["P041", "P012"]}',
                ),
                "s9-rank": (
                    'my_list_path = data_file("examples/my_programs_example.csv")',
                    f"my_list_path = {str(own)!r}",
                ),
            },
        ),
        run_module("09_capstone", home),
    ]
    assert [errors(nb) for nb in ran] == [[], [], []]
    record = plan_json(home)
    assert record["hosts"] and set(record["hosts"]) <= set(OWN_PROGRAMS["program_name"])
    own_shortlist = json.loads((home / "own_shortlist.json").read_text())["value"]
    assert record["hosts"] == [row["program_name"] for row in own_shortlist][: len(record["hosts"])]
    assert sources(record) == {
        "profile": "yours",
        "count": "example",
        "order": "example",
        "shortlist": "yours",
        "pitch": "missing",
        "people": "missing",
        "project": "example",
        "letters": "missing",
        "calendar": "example",
    }
    assert "own program list" in record["parts"]["shortlist"]["note"]
    page = (home / capstone.PLAN_FILE).read_text(encoding="utf-8")
    assert "Kofi" in page and "Pinecrest" in page and "Thessaldale" not in page
    assert "Fictional examples in this plan" in page and "How many away rotations" in page.split("<footer>")[1]


@pytest.mark.pipeline
def test_an_untouched_run_labels_nothing_as_the_learners(tmp_path):
    """Module 03 with Exercise 3.7 unanswered and no profile, then 09: the fallback shortlist is the kit's example."""
    home = tmp_path / "my_plan"
    home.mkdir()
    run_module("03_where_to_rotate", home, solved=False)
    assert json.loads((home / "shortlist.json").read_text())["source"] == "example"
    run_module("00_start_here", home, solved=False)
    run_module("09_capstone", home, solved=False)
    record = plan_json(home)
    assert "yours" not in sources(record).values()
    assert sources(record)["shortlist"] == "example"
    assert "not answered yet" in record["parts"]["shortlist"]["note"]
    page = (home / capstone.PLAN_FILE).read_text(encoding="utf-8")
    assert 'class="badge yours"' not in page and "0 of 9 parts are your own answers" in page


@pytest.mark.pipeline
def test_the_sample_learners_plan_holds_together(tmp_path):
    """The kit's own solutions, run in order, are one person's plan: the checks find nothing to fix."""
    home = tmp_path / "my_plan"
    home.mkdir()
    modules = [
        "00_start_here",
        "03_where_to_rotate",
        "04_before_rotation",
        "07_letters",
        "08_application",
        "09_capstone",
    ]
    assert [errors(run_module(m, home)) for m in modules] == [[]] * len(modules)
    record = plan_json(home)
    assert record["problems"] == []
    mine = {k for k, v in sources(record).items() if v == "yours"}
    assert mine == {"profile", "shortlist", "pitch", "people", "letters", "calendar"}
    profile = json.loads((home / "profile.json").read_text())["value"]
    assert (
        profile["name"] == SAMPLE_PROFILE["name"] and profile["target_specialty"] == SAMPLE_PROFILE["target_specialty"]
    )


# ------------------------------------------------------------------ provenance without notebooks
def test_a_saved_part_records_its_source_and_old_saves_count_as_yours(home):
    state.save_part("pitch", "mine")
    state.save_part("shortlist", pd.DataFrame({"program_name": ["X"]}), source="example")
    (home / "old.json").write_text(json.dumps({"kind": "value", "value": 1}))
    assert (state.part_source("pitch"), state.part_source("shortlist"), state.part_source("old")) == (
        "yours",
        "example",
        "yours",
    )
    assert state.part_source("nothing") is None
    with pytest.raises(ValueError):
        state.save_part("pitch", "x", source="mine")


def test_module_03s_shortlist_is_yours_only_with_your_answer_and_your_profile(home):
    ranked = where_to_rotate.rank_programs(
        where_to_rotate.score_table(capstone.load_programs().query("specialty == 'Internal Medicine'"), SAMPLE_PROFILE),
        where_to_rotate.DEFAULT_WEIGHTS,
    )
    picks = where_to_rotate.balanced_shortlist(ranked)
    assert "not answered" in where_to_rotate.save_shortlist(picks, {"informatics": 1}, answered=False)
    assert state.part_source("shortlist") == "example"
    assert "no profile" in where_to_rotate.save_shortlist(picks, {"informatics": 1}, answered=True)
    assert state.part_source("shortlist") == "example"
    assert capstone.gather_parts(verbose=False)["sources"]["shortlist"] == "example"
    save_profile(dict(SAMPLE_PROFILE, name="Lina"))
    where_to_rotate.save_shortlist(picks, {"informatics": 1}, answered=True)
    assert capstone.gather_parts(verbose=False)["sources"]["shortlist"] == "yours"


def test_the_kits_example_list_is_not_saved_as_your_own(home):
    from rotation_kit.runtime.paths import data_file

    ranked = where_to_rotate.rank_programs(
        where_to_rotate.score_table(
            capstone.load_programs(data_file("examples/my_programs_example.csv")), SAMPLE_PROFILE
        ),
        {"informatics": 1},
    )
    assert "kit's example list" in where_to_rotate.save_own_list(ranked, data_file("examples/my_programs_example.csv"))
    assert not state.has_part("own_shortlist")


def test_plan_json_records_the_same_sources_as_the_page(home):
    save_profile(dict(SAMPLE_PROFILE, name="Lina", target_specialty="Pediatrics"))
    plan = capstone.build_plan()
    path = capstone.save_html(plan)
    record = plan_json(home)
    assert list(record["parts"]) == PART_KEYS
    page = path.read_text(encoding="utf-8")
    for key, part in record["parts"].items():
        assert part["source"] == plan["sources"][key]
        assert f'<span class="badge {part["source"]}">{part["label"]}' in page.replace("&#39;", "'")
    assert record["parts"]["pitch"]["source"] == "missing" and "Nothing here yet: do module 04_before_rotation" in page


def test_the_page_has_a_season_timeline_and_prints_cleanly(home):
    page = capstone.render_html(capstone.build_plan())
    assert '<img src="data:image/svg+xml;base64,' in page and "Timeline of the season" in page
    assert "@media print" in page and "break-inside: avoid" in page
    footer = page.split("<footer>")[1].replace("&#39;", "'")
    assert "Fictional examples in this plan" in footer and "kit's example season" in footer
    events = capstone.season_events(capstone.build_plan())
    assert {"ERAS submission", "Match results", "Follow-up: thank-you notes"} <= set(events["what"])
    assert events.loc[events["what"] == "ERAS submission", "source"].item() == "the kit's example season"


# ------------------------------------------------------------------ checks across parts
def sample_plan(**changes):
    """The kit's sample learner's plan, every part the sample's example: one person, consistent."""
    plan = capstone.build_plan()
    plan.update(changes)
    return plan


def across(plan):
    return capstone.cross_part_problems(plan)


def test_the_sample_learners_example_plan_has_nothing_to_fix(home):
    plan = sample_plan()
    assert across(plan).empty
    assert plan["problems"].empty


@pytest.mark.parametrize(
    "pitch, words",
    [
        (
            capstone.SAMPLE_PITCH.replace("internal medicine", "pediatrics"),
            ["pitch", "Pediatrics", "Internal Medicine"],
        ),
        (capstone.SAMPLE_PITCH.replace("my name is Amina", "my name is Sam"), ["pitch", "Sam", "Amina"]),
    ],
)
def test_a_pitch_for_another_specialty_or_person_is_caught(home, pitch, words):
    found = across(sample_plan(pitch=pitch))
    assert list(found["section"]) == ["pitch"]
    assert all(w in found["problem"].iloc[0] for w in words[1:]) and "module 04" in found["problem"].iloc[0]


def test_a_letter_request_for_another_specialty_and_person_is_caught(home):
    message = "Dear Dr. Ostrand,\n\nThank you ... I am applying to Family Medicine residency ...\n\nWith thanks,\nAna"
    found = across(sample_plan(letters=dict(capstone.SAMPLE_LETTERS, request_message=message)))
    assert list(found["section"]) == ["letters", "letters"]
    assert "Family Medicine" in found["problem"].iloc[0] and "Ana" in found["problem"].iloc[1]
    assert all("module 07" in p for p in found["problem"])


def test_hosts_outside_the_target_specialty_are_caught(home):
    plan = sample_plan()
    shortlist = plan["shortlist"].copy()
    shortlist["specialty"] = ["Internal Medicine", "Psychiatry", "Internal Medicine"][: len(shortlist)]
    found = across(dict(plan, shortlist=shortlist))
    assert list(found["section"]) == ["shortlist"]
    assert shortlist["program_name"].iloc[1] in found["problem"].iloc[0] and "Psychiatry" in found["problem"].iloc[0]


def test_a_host_without_a_specialty_column_is_looked_up_in_the_kits_programs(home):
    psychiatry = capstone.load_programs().query("specialty == 'Psychiatry'")["program_name"].iloc[0]
    found = across(sample_plan(shortlist=pd.DataFrame({"program_name": [psychiatry], "role": ["realistic"]})))
    assert list(found["section"]) == ["shortlist"] and psychiatry in found["problem"].iloc[0]


def test_a_rotation_ending_after_the_application_is_due_is_caught(home):
    plan = sample_plan(key_dates=dict(application.SAMPLE_KEY_DATES, eras_submission="2026-03-15"))
    found = capstone.plan_problems(plan)
    dates = found[found["section"] == "dates"]["problem"]
    assert len(dates) == 2 and "rotation 2" in dates.iloc[0] and "2026-03-15" in dates.iloc[0]


def test_letter_writers_not_among_the_rotations_people_are_caught(home):
    found = across(sample_plan(letters=dict(capstone.SAMPLE_LETTERS, writers=["Dr. M. Ostrand", "Dr. P. Quill"])))
    assert list(found["section"]) == ["letters"] and "Dr. P. Quill" in found["problem"].iloc[0]
    assert "module 04" in found["problem"].iloc[0]


def test_people_noted_at_a_host_that_is_not_planned_are_caught(home):
    plan = sample_plan()
    found = across(dict(plan, people=dict(plan["people"], host="Nowhere General (fictional)")))
    assert list(found["section"]) == ["people"] and "Nowhere General" in found["problem"].iloc[0]


def test_cross_checks_are_in_the_saved_page(home):
    plan = capstone.assemble(capstone.gather_parts(verbose=False), sample_plan()["blocks"], sample_plan()["calendar"])
    assert plan["problems"].empty
    parts = dict(capstone.gather_parts(verbose=False), pitch=capstone.SAMPLE_PITCH.replace("Amina", "Sam"))
    page = capstone.render_html(capstone.assemble(parts, plan["blocks"], plan["calendar"]))
    assert "is from Sam" in page and "1 thing to fix" in page


# ------------------------------------------------------------------ the typed answers' rules
def test_names_may_be_initials_and_match_across_modules():
    assert same_person("Dr. R. O.", "Dr. Rhea Ostrand") and same_person("Dr Ostrand", "Dr. M. Ostrand (attending)")
    assert not same_person("Dr. A. Bell", "Dr. C. Bell") and not same_person("...", "Dr. Bell")


def test_template_answers_left_as_dots_are_problems():
    from rotation_kit.lessons import before_rotation

    template = dict.fromkeys(before_rotation.PEOPLE_FIELDS, "...")
    assert len(before_rotation.people_problems(template)) == 4
    assert (
        before_rotation.people_problems(
            dict(template, host="H", attending="R. O.", senior_resident="R. O.", informatics_mentor="none yet")
        )
        != []
    )
    assert letters.writer_problems(["...", "..."]) and letters.writer_problems(["A", "B", "C", "D", "E"])
    assert letters.writer_problems(["Dr. R. O."], {"host": "H", "attending": "Dr. T. M."})
    assert application.key_date_problems(dict.fromkeys(application.MILESTONES, "..."))
    backwards = {"eras_submission": "2026-10-01", "interview_invitations": "2026-09-01", "match_results": "2027-03-19"}
    assert any("after" in p for p in application.key_date_problems(backwards))
    assert application.key_date_problems(application.SAMPLE_KEY_DATES) == []


def test_the_solutions_sample_learner_is_the_kits_sample_learner():
    """The profile, pitch and letter request of the kit's solutions name one person and one specialty."""

    def answer(module, grade_id):
        nb = nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)
        return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)

    assert SAMPLE_PROFILE["name"] in answer("00_start_here", "ex01_answer")
    assert SAMPLE_PROFILE["target_specialty"] in answer("00_start_here", "ex01_answer")
    first = SAMPLE_PROFILE["name"].split()[0]
    for module, grade_id, name in [
        ("04_before_rotation", "ex46_answer", "my_pitch"),
        ("07_letters", "ex75_answer", "request_message"),
    ]:
        namespace: dict = {}
        exec(solution_source(answer(module, grade_id)), namespace)  # the kit's own solution text, nothing else
        text = namespace[name]
        assert capstone.specialties_named(text) == [SAMPLE_PROFILE["target_specialty"]], (module, text)
        assert capstone.names_used(text) == [first], (module, capstone.names_used(text))
