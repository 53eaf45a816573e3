"""Module 04's reference logic: the quiz key, HL7 v2 and FHIR reading, mentors by title, the checklist, the pitch."""

from __future__ import annotations

import pandas as pd
import pytest
from support import ROOT

from rotation_kit.datasets.faculty import OTHER_TITLES, TITLE_SPELLINGS
from rotation_kit.lessons import before_rotation
from rotation_kit.runtime.loaders import load_dataset, load_programs

GUIDE = ROOT.parent / "shared" / "guide" / "source-guide.txt"


@pytest.fixture(scope="module")
def vocab():
    return load_dataset("vocabulary.csv")


@pytest.fixture(scope="module")
def faculty():
    return load_dataset("faculty.csv")


# ---------------------------------------------------------------- vocabulary
def test_quiz_letters_each_meaning_once_and_key_matches_the_shuffle(vocab):
    quiz = before_rotation.vocabulary_quiz(vocab)
    key = before_rotation.quiz_key(vocab)
    assert list(quiz["letter"]) == list("ABCDEFGHI")
    assert sorted(key.values()) == list("ABCDEFGHI")
    meaning_of = dict(zip(vocab["term"], vocab["meaning"], strict=True))
    for term, letter in key.items():
        assert quiz.loc[quiz["letter"] == letter, "meaning"].item() == meaning_of[term]


def test_quiz_order_is_not_the_file_order(vocab):
    key = before_rotation.quiz_key(vocab)
    assert all(key[term] != "ABCDEFGHI"[i] for i, term in enumerate(vocab["term"]))


def test_quiz_score_ignores_letter_case_and_counts_only_right_answers(vocab):
    key = before_rotation.quiz_key(vocab)
    answers = {term: letter.lower() for term, letter in key.items()}
    assert before_rotation.quiz_score(answers, vocab) == 9
    answers["CDS"] = "Z"
    assert before_rotation.quiz_score(answers, vocab) == 8


def test_meanings_do_not_give_away_their_term(vocab):
    for _, row in vocab.iterrows():
        assert row["term"].lower() not in row["meaning"].lower(), row["term"]


def test_vocabulary_covers_the_guide_terms_and_names_a_source(vocab):
    assert set(vocab["term"]) == {
        "CDS",
        "order set",
        "care pathway",
        "data governance",
        "data warehouse",
        "quality metric",
        "interoperability",
        "HL7 v2",
        "FHIR",
    }
    assert vocab["source"].str.len().min() > 5


# ---------------------------------------------------------------- HL7 v2
ADT = "MSH|^~\\&|A|B|C|D|202501010000||ADT^A01|X1|P|2.5.1\rPID|1||123^^^H^MR||Doe^Ann^Q||19900101|F\rPV1|1|I|W^1^A"


def test_msh_fields_sit_one_place_earlier_because_msh1_is_the_separator():
    assert before_rotation.hl7_get(ADT, "MSH-9") == "ADT^A01"
    assert before_rotation.hl7_get(ADT, "MSH-9.2") == "A01"
    assert before_rotation.hl7_get(ADT, "MSH-2") == "^~\\&"
    assert before_rotation.hl7_get(ADT, "MSH-1") == "|"


def test_other_segments_count_fields_after_the_name():
    assert before_rotation.hl7_get(ADT, "PID-3.1") == "123"
    assert before_rotation.hl7_get(ADT, "PID-5") == "Doe^Ann^Q"
    assert before_rotation.hl7_get(ADT, "PID-5.2") == "Ann"
    assert before_rotation.hl7_get(ADT, "PV1-3.2") == "1"


def test_missing_fields_and_components_are_empty_and_missing_segments_raise():
    assert before_rotation.hl7_get(ADT, "PID-30") == ""
    assert before_rotation.hl7_get(ADT, "PID-8.4") == ""
    with pytest.raises(KeyError):
        before_rotation.hl7_get(ADT, "OBX-5")
    for bad in ("PID", "pid-5", "PID-0", "PID-5.0"):
        with pytest.raises(ValueError):
            before_rotation.hl7_get(ADT, bad)


def test_carriage_returns_and_new_lines_both_separate_segments():
    assert (
        before_rotation.hl7_get(ADT.replace("\r", "\n"), "PV1-2")
        == before_rotation.hl7_get(ADT.replace("\r", "\r\n"), "PV1-2")
        == "I"
    )


def test_kit_lab_message_reads_as_four_results_with_flags():
    message = before_rotation.read_message("lab_result_oru_r01.hl7")
    results = before_rotation.hl7_results(message)
    assert list(results["test"]) == ["Sodium", "Potassium", "Creatinine", "Glucose"]
    assert list(results["flag"]) == ["N", "H", "H", "H"]
    assert before_rotation.hl7_get(message, "OBX-5") == "138"  # the first OBX


# ---------------------------------------------------------------- FHIR
def test_patient_summary_prefers_the_official_name_and_the_mr_identifier():
    summary = before_rotation.patient_summary(before_rotation.read_fhir("patient.json"))
    assert summary == {
        "id": "pt-5521",
        "mrn": "448120",
        "family": "Tavrel",
        "given": "Nimorek",
        "birth_date": "1978-02-15",
        "gender": "male",
    }


def test_patient_summary_falls_back_to_first_name_and_none():
    minimal = {"resourceType": "Patient", "name": [{"family": "Ro", "given": []}]}
    assert before_rotation.patient_summary(minimal) == {
        "id": None,
        "mrn": None,
        "family": "Ro",
        "given": None,
        "birth_date": None,
        "gender": None,
    }


def test_patient_summary_refuses_other_resources():
    with pytest.raises(ValueError):
        before_rotation.patient_summary(before_rotation.read_fhir("observation.json"))


def test_fhir_and_hl7_files_describe_the_same_patient():
    message = before_rotation.read_message("lab_result_oru_r01.hl7")
    summary = before_rotation.patient_summary(before_rotation.read_fhir("patient.json"))
    assert before_rotation.hl7_get(message, "PID-3.1") == summary["mrn"]
    assert before_rotation.hl7_get(message, "PID-5.1") == summary["family"]


# ---------------------------------------------------------------- mentors
@pytest.mark.parametrize(
    "title, role",
    [
        ("CMIO", "CMIO"),
        ("Chief Medical Information Officer (CMIO)", "CMIO"),
        ("Associate Chief Medical Information Officer", "Associate CMIO"),
        ("associate cmio", "Associate CMIO"),
        ("Director, Clinical Informatics", "Director of Clinical Informatics"),
        ("Medical Director, Electronic Health Record", "Medical Director of EHR"),
        ("Medical Director, CDS", "Medical Director of CDS"),
        ("Chief Medical Officer", None),
        ("Associate Program Director", None),
        ("Medical Director, Intensive Care Unit", None),
        ("Director of Quality and Patient Safety", None),
    ],
)
def test_informatics_role_reads_titles_however_they_are_spelt(title, role):
    assert before_rotation.informatics_role(title) == role


def test_every_spelling_in_the_directory_maps_to_a_role_and_decoys_do_not():
    for spellings in TITLE_SPELLINGS.values():
        assert all(before_rotation.informatics_role(s) for s in spellings)
    assert not any(before_rotation.informatics_role(t) for t in OTHER_TITLES)


def test_directory_agrees_with_the_programs_file(faculty):
    programs = load_programs()
    assert set(faculty["program_id"]) <= set(programs["program_id"])
    mentors = before_rotation.find_mentors(faculty).groupby("program_id").size()
    listed = programs.set_index("program_id")["informatics_faculty"].map(len)
    assert (mentors.reindex(listed.index, fill_value=0) == listed).all()


def test_find_mentors_sorts_by_program_then_role_then_name(faculty):
    found = before_rotation.find_mentors(faculty, ["P001", "P003"])
    assert set(found["program_id"]) <= {"P001", "P003"}
    keys = list(zip(found["program_id"], found["role"].map(before_rotation.ROLES.index), found["name"], strict=True))
    assert keys == sorted(keys)


def test_find_mentors_with_no_match_is_an_empty_table_with_a_role_column(faculty):
    found = before_rotation.find_mentors(faculty, ["NOPE"])
    assert len(found) == 0 and "role" in found.columns


# ---------------------------------------------------------------- checklist
def test_checklist_names_the_vendor_and_every_mentor():
    program = {"program_name": "Test Program", "ehr_vendor": "Meditech"}
    mentors = pd.DataFrame({"name": ["Dr. A", "Dr. B"], "role": ["CMIO", "Associate CMIO"]})
    checklist = before_rotation.prerotation_checklist(program, mentors)
    assert list(checklist["category"]) == [
        "expectations",
        "expectations",
        "ehr",
        "vocabulary",
        "mentors",
        "mentors",
        "pitch",
    ]
    assert "Meditech" in checklist.loc[2, "task"]
    assert "Dr. A" in checklist.loc[4, "task"] and "Dr. B" in checklist.loc[5, "task"]


def test_checklist_without_mentors_or_vendor_says_to_search_and_ask():
    checklist = before_rotation.prerotation_checklist(
        {"program_name": "X", "ehr_vendor": "Other"}, pd.DataFrame(columns=["name", "role"])
    )
    assert list(checklist["category"]) == ["expectations", "expectations", "ehr", "vocabulary", "mentors", "pitch"]
    assert "which" in checklist.loc[2, "task"].lower() and "search" in checklist.loc[4, "task"].lower()


# ---------------------------------------------------------------- pitch
def test_example_pitch_has_every_element():
    assert all(before_rotation.pitch_checklist(before_rotation.EXAMPLE_PITCH).values())


def test_pitch_checklist_reports_elements_in_order():
    assert tuple(before_rotation.pitch_checklist("Hi.")) == before_rotation.PITCH_ELEMENTS


def test_data_and_outcomes_must_share_a_sentence():
    apart = "I like data. Outcomes matter."
    together = "I like how data can improve outcomes."
    assert not before_rotation.pitch_checklist(apart)["data_and_ehr"]
    assert before_rotation.pitch_checklist(together)["data_and_ehr"]


def test_ask_needs_learning_the_team_and_the_system_in_one_sentence():
    assert before_rotation.pitch_checklist("Could you show me how your team uses the EHR?")["ask_about_ehr"]
    assert not before_rotation.pitch_checklist("I want to learn. Your team is great. The EHR is new.")["ask_about_ehr"]


def test_curly_apostrophes_count_like_straight_ones():
    assert before_rotation.pitch_checklist("I\u2019m a doctor.")["who_you_are"]


def test_length_window_follows_the_assumed_speaking_rate():
    def words(n):
        return " ".join(["word"] * n)

    assert before_rotation.WORDS_PER_MINUTE == 140
    assert not before_rotation.pitch_checklist(words(46))["length_ok"]  # 19.7 seconds
    assert before_rotation.pitch_checklist(words(47))["length_ok"]
    assert before_rotation.pitch_checklist(words(93))["length_ok"]
    assert not before_rotation.pitch_checklist(words(94))["length_ok"]  # 40.3 seconds


def test_shared_run_finds_copied_phrases_only():
    assert before_rotation.shared_run(
        "one two three four five six seven eight nine", "zero one two three four five six seven eight"
    )
    assert before_rotation.shared_run("a b c d e f g h", "h g f e d c b a") is None


@pytest.mark.skipif(not GUIDE.is_file(), reason="the guide is not beside this checkout")
def test_example_pitch_is_not_the_guide_sentence():
    assert (
        before_rotation.shared_run(before_rotation.EXAMPLE_PITCH, GUIDE.read_text(encoding="utf-8"), length=8) is None
    )


def test_checklist_wording_carries_the_advice_not_only_the_headings():
    from rotation_kit.lessons import before_rotation as br

    program = {"program_name": "Test Hospital (fictional)", "ehr_vendor": "Epic"}
    mentors = pd.DataFrame({"name": ["Dr. A"], "role": ["CMIO"]})
    good = br.prerotation_checklist(program, mentors)
    assert br.checklist_wording_problems(good) == []
    vague = good.assign(task="do it")
    problems = br.checklist_wording_problems(vague)
    assert (
        len(problems) == 4
        and any("fhir" in p for p in problems)
        and any("cds or decision support" in p for p in problems)
    )
