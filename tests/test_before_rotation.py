"""Module 04's reference logic: the quiz key, HL7 v2 and FHIR reading, mentors by title, the checklist, the pitch."""

from __future__ import annotations

import pandas as pd
import pytest
from support import ROOT

from rotation_kit.datasets.faculty import OTHER_TITLES, TITLE_SPELLINGS
from rotation_kit.lessons import before_rotation
from rotation_kit.runtime.checks import NO_ANSWER_YET, CheckFailed
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


# ---------------------------------------------------------------- the main path's decisions
LAB = before_rotation.read_message("lab_result_oru_r01.hl7")
PITCHES_IN_NATURAL_WORDS = [
    # the EHR named by its vendor, the goal as "informatics training"
    "Hi, I'm Dr. Rosa Quintero, a physician from Peru applying in pediatrics. Last year our clinic moved to "
    "Epic, and its growth-chart alerts caught two children with faltering growth, which showed me how the chart "
    "can prevent harm. Long-term I would like informatics training, but I am a clinician first. Could you show "
    "me how your team uses Epic on rounds?",
    # "records" and "the chart" for the EHR, "patients always come first"
    "Good morning, my name is Kenji and I graduated from medical school in Osaka; I am applying to family "
    "medicine. I have seen how good records cut delays in our clinic. One day I hope to do a clinical "
    "informatics fellowship, while patients always come first for me. I would love to learn how the residents "
    "here use the chart day to day, when you have time.",
    # Cerner, "career in clinical informatics", "first a doctor"
    "Hello, I'm an IMG from Cairo hoping to match in psychiatry. In my last job, reminders in our Cerner system "
    "made follow-up after discharge safer for patients on lithium. Later on I want a career in clinical "
    "informatics, yet I am first a doctor. May I watch how the ward uses Cerner when things are quiet?",
]


@pytest.mark.parametrize("pitch", PITCHES_IN_NATURAL_WORDS)
def test_pitch_checklist_accepts_natural_phrasing_of_every_element(pitch):
    found = before_rotation.pitch_checklist(pitch)
    assert all(found.values()), {k: v for k, v in found.items() if not v}


@pytest.mark.parametrize(
    ("sentence", "element"),
    [
        ("I'm a physician who trained in Lagos.", "who_you_are"),
        ("I want to match in emergency medicine.", "target_specialty"),
        ("Epic alerts cut medication errors on my ward.", "data_and_ehr"),
        ("Good records make the workflow faster.", "data_and_ehr"),
        ("Later I hope for board certification in clinical informatics.", "fellowship_goal"),
        ("I remain a clinician at heart.", "clinician_first"),
        ("Could I see how your unit uses the chart?", "ask_about_ehr"),
    ],
)
def test_each_element_is_found_in_everyday_words(sentence, element):
    assert before_rotation.pitch_checklist(sentence)[element]


def test_a_pitch_all_about_technology_misses_the_clinical_elements():
    found = before_rotation.pitch_checklist("I love Python and dashboards. Can I join your data team?")
    assert not found["clinician_first"] and not found["ask_about_ehr"] and not found["fellowship_goal"]


def test_pitch_text_says_no_answer_yet_for_the_blank_template():
    for blank in ["\n...\n", ..., "   "]:
        with pytest.raises(CheckFailed, match=NO_ANSWER_YET):
            before_rotation.pitch_text(blank)
    assert before_rotation.pitch_text("  Hi,\n I am Ana.  ") == "Hi, I am Ana."


def test_check_pitch_splits_elements_from_length():
    long_enough = PITCHES_IN_NATURAL_WORDS[1]
    before_rotation.check_pitch(long_enough, {"target_specialty": "Family Medicine"}, "a")
    before_rotation.check_pitch(long_enough, {"target_specialty": "Family Medicine"}, "b")
    with pytest.raises(CheckFailed, match="specialty"):
        before_rotation.check_pitch(long_enough, {"target_specialty": "Pathology"}, "a")
    padded = long_enough + " Thanks." * 60
    before_rotation.check_pitch(padded, {"target_specialty": "Family Medicine"}, "a")
    with pytest.raises(CheckFailed, match="seconds"):
        before_rotation.check_pitch(padded, {"target_specialty": "Family Medicine"}, "b")


def test_segment_table_keeps_the_msh_quirk_visible():
    table = before_rotation.segment_table(LAB)
    msh = table.iloc[0]
    assert msh["piece 0"] == "MSH" and msh["piece 8"] == before_rotation.hl7_get(LAB, "MSH-9")
    pid = table[table["piece 0"] == "PID"].iloc[0]
    assert pid["piece 7"] == before_rotation.hl7_get(LAB, "PID-7")


def test_check_hl7_accepts_the_values_read_and_refuses_a_shifted_msh_field():
    readings = {key: before_rotation.hl7_get(LAB, ref) for key, ref in before_rotation.HL7_QUESTIONS.items()}
    for part in "abc":
        before_rotation.check_hl7(readings, LAB, part)
    wrong = dict(readings, message_type=LAB.splitlines()[0].split("|")[9])  # piece 9: one too far
    with pytest.raises(CheckFailed, match="MSH-9"):
        before_rotation.check_hl7(wrong, LAB, "b")
    before_rotation.check_hl7(dict(readings, family_name=" tavrel "), LAB, "a")


def test_check_mentors_wants_every_leader_and_no_look_alike(faculty):
    ids = ["P057", "P014", "P025"]
    leaders = before_rotation.mentor_ids(faculty, ids)
    before_rotation.check_mentors(leaders, faculty, ids, "a")
    before_rotation.check_mentors(leaders, faculty, ids, "b")
    with pytest.raises(CheckFailed):
        before_rotation.check_mentors(leaders[:-1], faculty, ids, "a")
    cmo = faculty[faculty["title"] == "Chief Medical Officer"]
    cmo_here = cmo[cmo["program_id"].isin(ids)]["faculty_id"].tolist()
    assert cmo_here, "the sample shortlist's directory should hold a look-alike title"
    with pytest.raises(CheckFailed, match="Chief Medical Officer"):
        before_rotation.check_mentors(leaders + cmo_here, faculty, ids, "b")
    with pytest.raises(CheckFailed):
        before_rotation.check_mentors([], faculty, ids, "b")


def test_checklist_choices_build_the_saved_table_shape(faculty):
    program = load_programs().set_index("program_id", drop=False).loc["P057"]
    table = before_rotation.show_checklist(program, list(before_rotation.ESSENTIAL_PREP), "Cerner", faculty)
    assert list(table.columns) == ["category", "task"]
    assert table["category"].iloc[0] == "expectations" and program["program_name"] in table["task"].iloc[0]
    assert any("Cerner" in t for t in table["task"])
    assert set(before_rotation.mentor_ids(faculty, ["P057"])) and sum(table["category"] == "mentors") == 2
    before_rotation.check_prep(list(before_rotation.ESSENTIAL_PREP), "a")
    before_rotation.check_prep(list(before_rotation.ESSENTIAL_PREP), "b")
    with pytest.raises(CheckFailed):
        before_rotation.check_prep([*before_rotation.ESSENTIAL_PREP, "K2"], "b")


def test_site_ehr_is_the_vendor_or_ask_when_unknown():
    assert before_rotation.site_ehr_ok(" epic ", {"ehr_vendor": "Epic"})
    assert not before_rotation.site_ehr_ok("Cerner", {"ehr_vendor": "Epic"})
    assert before_rotation.site_ehr_ok("ask", {"ehr_vendor": "Other"})
