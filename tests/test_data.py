"""Loaders: the kit's data validates, and malformed input fails with file, row, column and fix."""

from __future__ import annotations

import pytest

from rotation_kit.runtime.loaders import load_dataset, load_programs, schema_for
from rotation_kit.runtime.paths import data_dir
from rotation_kit.runtime.tables import DataError

HEADER = "program_name,specialty,state,img_share_pct"


def _write(tmp_path, text: str | bytes, name="mine.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_kit_programs_load_with_types():
    programs = load_programs()
    assert len(programs) >= 80
    assert programs["ci_fellowship"].map(type).eq(bool).all()
    assert programs["informatics_faculty"].map(lambda v: isinstance(v, list)).all()


def test_every_kit_dataset_validates_against_its_schema():
    from rotation_kit.datasets import dataset_modules

    for module in dataset_modules():
        for schema in [getattr(module, "SCHEMA", None), *getattr(module, "EXTRA_SCHEMAS", ())]:
            if schema is not None:
                assert len(load_dataset(schema.file)) > 0, schema.file


def test_minimal_own_list_gets_defaults_and_ids(tmp_path):
    path = _write(tmp_path, "program_name,specialty,state\nA Program,Pediatrics,NY\nB Program,Psychiatry,TX\n")
    programs = load_programs(path)
    assert list(programs["program_id"]) == ["P001", "P002"]
    assert programs.loc[0, "ci_fellowship"] is False or programs.loc[0, "ci_fellowship"] == False  # noqa: E712
    assert programs.loc[0, "visa_sponsorship"] == "none"


def test_bad_number_names_spreadsheet_row_column_and_rule(tmp_path):
    path = _write(tmp_path, f"{HEADER}\nA,Pediatrics,NY,12\nB,Pediatrics,NY,about 40\n")
    with pytest.raises(DataError) as excinfo:
        load_programs(path)
    message = str(excinfo.value)
    assert "mine.csv row 3, column img_share_pct: 'about 40' is not a number between 0 and 100" in message


def test_misspelt_category_suggests_the_right_value(tmp_path):
    path = _write(tmp_path, f"{HEADER}\nA,Pediatrcs,NY,12\n")
    with pytest.raises(DataError, match="Did you mean 'Pediatrics'"):
        load_programs(path)


def test_missing_required_column_is_named_with_a_near_match(tmp_path):
    path = _write(tmp_path, "Progam Name,specialty,state\nA,Pediatrics,NY\n")
    with pytest.raises(DataError, match="missing required column program_name. You have 'Progam Name': rename it"):
        load_programs(path)


def test_ragged_row_reports_its_line(tmp_path):
    path = _write(tmp_path, f"{HEADER}\nA,Pediatrics,NY,12\nB, Jr,Pediatrics,NY,12\n")
    with pytest.raises(DataError, match="row 3: 5 values, but the header has 4 columns.*double quotes"):
        load_programs(path)


def test_a_file_with_no_known_separator_is_explained(tmp_path):
    path = _write(tmp_path, "program_name|specialty|state\nA|Pediatrics|NY\n")
    with pytest.raises(DataError, match="row 1: found one column only.*commas, semicolons or tabs"):
        load_programs(path)


@pytest.mark.parametrize(
    "content, words",
    [
        ("", "empty"),
        ("program_name,specialty,state\n", "no rows"),
    ],
)
def test_empty_or_undecodable_files_get_a_clear_message(tmp_path, content, words):
    with pytest.raises(DataError, match=words):
        load_programs(_write(tmp_path, content))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_programs(tmp_path / "nope.csv")


def test_many_problems_are_summarised_not_flooded(tmp_path):
    rows = "\n".join(f"P{i},Pediatrics,NY,abc" for i in range(30))
    with pytest.raises(DataError, match="and 22 more problem"):
        load_programs(_write(tmp_path, f"{HEADER}\n{rows}\n"))


def test_extra_columns_in_a_learners_file_are_kept(tmp_path):
    path = _write(tmp_path, "program_name,specialty,state,my_notes\nA,Pediatrics,NY,liked it\n")
    assert load_programs(path).loc[0, "my_notes"] == "liked it"


def test_unknown_dataset_name_is_a_key_error():
    with pytest.raises(KeyError):
        schema_for("nothing.csv")


def test_data_dir_env_override_must_point_at_data(monkeypatch, tmp_path):
    from rotation_kit.runtime.paths import KitNotFound

    monkeypatch.setenv("ROTATION_KIT_DATA", str(tmp_path))
    with pytest.raises(KitNotFound, match="no programs.csv"):
        data_dir()


def test_data_is_found_from_a_learners_copy_anywhere(monkeypatch, tmp_path):
    """A notebook copied outside the kit still finds data/ through the installed package."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROTATION_KIT_DATA", raising=False)
    assert (data_dir() / "programs.csv").is_file()
    assert len(load_programs()) >= 80
