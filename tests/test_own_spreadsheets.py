"""A learner's own tables as spreadsheets really export them: real files, written here, loaded by the kit.

Each bad case checks that the one DataError names the file, the row as the spreadsheet numbers it
(header = row 1), the column and the fix.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from rotation_kit.runtime.loaders import load_dataset, load_programs
from rotation_kit.runtime.tables import Column, DataError, _convert

HUMAN_HEADER = ["Program Name", "Specialty", "State", "IMG share %", "Accepts visiting IMGs?", "Host fee ($)"]


def _xlsx(path, rows, sheet="Sheet1", formats=None, extra_sheet=None):
    """A workbook as Excel would save it; `formats` maps (row, col) (1-based) to a number format."""
    book = openpyxl.Workbook()
    if extra_sheet:  # the list is not on the first sheet
        first = book.active
        first.title = extra_sheet
        first["A1"] = "Notes to self"
        page = book.create_sheet(sheet)
    else:
        page = book.active
        page.title = sheet
    for row in rows:
        page.append(row)
    for (r, c), number_format in (formats or {}).items():
        page.cell(row=r, column=c).number_format = number_format
    book.save(path)
    return path


def _message(path, loader=load_programs, **kwargs) -> str:
    with pytest.raises(DataError) as excinfo:
        loader(path, **kwargs)
    return str(excinfo.value)


# --- formats that must load ------------------------------------------------------------------------------


def test_xlsx_with_human_headers_percent_cells_and_trailing_blanks(tmp_path):
    path = tmp_path / "My list.xlsx"
    rows = [
        HUMAN_HEADER,
        ["Hôpital Sainte-Thérèse Internal Medicine", "Internal Medicine", "Arizona", 0.43, True, 3800],
        ["Ostwick Family Medicine", "family medicine", "ny", 0.125, "No", "$1,250"],
    ]
    _xlsx(path, rows, formats={(2, 4): "0%", (3, 4): "0.0%", (2, 6): '"$"#,##0'})
    book = openpyxl.load_workbook(path)  # trailing formatted-but-empty cells, as Excel leaves them
    page = book.active
    for r in range(4, 9):
        page.cell(row=r, column=1).number_format = "@"
    page.cell(row=2, column=9).number_format = "0.00"
    book.save(path)

    programs = load_programs(path)
    assert len(programs) == 2
    assert list(programs["program_name"])[0] == "Hôpital Sainte-Thérèse Internal Medicine"
    assert list(programs["specialty"]) == ["Internal Medicine", "Family Medicine"]
    assert list(programs["state"]) == ["AZ", "NY"]
    assert list(programs["img_share_pct"]) == [43.0, 12.5]  # percent-formatted cells keep their meaning
    assert list(programs["accepts_visiting_imgs"]) == [True, False]
    assert list(programs["host_fee_usd"]) == [3800.0, 1250.0]
    assert list(programs["program_id"]) == ["P001", "P002"]


def test_xlsx_reads_the_named_sheet_and_reports_a_missing_one(tmp_path):
    path = _xlsx(
        tmp_path / "book.xlsx",
        [["program_name", "specialty", "state"], ["A", "Pathology", "TX"]],
        sheet="Programs",
        extra_sheet="Read me",
    )
    assert list(load_programs(path, sheet="Programs")["state"]) == ["TX"]
    message = _message(path, sheet="Shortlist")
    assert "book.xlsx" in message and "no sheet called 'Shortlist'" in message and "Read me, Programs" in message


def test_xlsx_dates_are_read_as_dates(tmp_path):
    path = _xlsx(
        tmp_path / "timeline.xlsx",
        [
            ["Learner", "Activity", "Kind", "Start", "End"],
            ["sample", "Internship", "clinical", dt.datetime(2024, 1, 1), dt.date(2024, 12, 31)],
            ["sample", "Informatics course", "informatics", dt.datetime(2025, 2, 3), None],
        ],
    )
    timeline = load_dataset("training_timeline.csv", path)
    assert list(timeline["start"].dt.strftime("%Y-%m-%d")) == ["2024-01-01", "2025-02-03"]
    assert timeline["end"].isna().tolist() == [False, True]


def test_european_excel_csv_semicolons_decimal_commas_cp1252(tmp_path):
    text = (
        "Program Name;Specialty;State;IMG share %;Host fee ($);Housing per week ($)\r\n"
        "Hôpital Saint-Jérôme – Médecine interne;Internal Medicine;New Jersey;43,5;3.800,00;412,50\r\n"
        "Clínica Niño Jesús Pediatrics;Pediatrics;PR;12;0;0\r\n"
        ";;;;;\r\n;;;;;\r\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    programs = load_programs(path)
    assert list(programs["program_name"]) == [
        "Hôpital Saint-Jérôme – Médecine interne",
        "Clínica Niño Jesús Pediatrics",
    ]
    assert list(programs["img_share_pct"]) == [43.5, 12.0]
    assert list(programs["host_fee_usd"]) == [3800.0, 0.0]
    assert list(programs["housing_per_week_usd"]) == [412.5, 0.0]
    assert list(programs["state"]) == ["NJ", "PR"]


def test_latin1_bytes_outside_windows_1252_still_decode(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("program_name,specialty,state\nCafé\x81 Hospital,Psychiatry,OH\n".encode("latin-1"))
    assert load_programs(path).loc[0, "program_name"] == "Café\x81 Hospital"


def test_tab_separated_text_and_excel_unicode_text(tmp_path):
    rows = "Program name\tSpecialty\tState\tIMG share (%)\nSevern Oaks IM\tInternal Medicine\tMI\t44%\n"
    tsv = tmp_path / "list.tsv"
    tsv.write_text(rows, encoding="utf-8")
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes(rows.replace("\n", "\r\n").encode("utf-16"))  # Excel "Unicode Text": UTF-16 with BOM
    for path in (tsv, utf16):
        programs = load_programs(path)
        assert list(programs["state"]) == ["MI"] and list(programs["img_share_pct"]) == [44.0], path.name


def test_utf8_bom_google_sheets_csv_with_trailing_empty_columns_and_rows(tmp_path):
    text = (
        "\ufeffProgram Name,Specialty,State,Visa,Telemedicine,,\n"
        "Harlow Pines IM,Internal Medicine,District of Columbia,j-1,Yes,,\n"
        'Marlin Crossing IM,Internal Medicine,"Washington, D.C.",J-1 and H-1B,TRUE,,\n'
        "Dunmer EM,Emergency Medicine,Guam,none,n,,\n"
        ",,,,,,\n\n,,,,,,\n"
    )
    path = tmp_path / "sheets.csv"
    path.write_text(text, encoding="utf-8")
    programs = load_programs(path)
    assert len(programs) == 3
    assert list(programs["state"]) == ["DC", "DC", "GU"]
    assert list(programs["visa_sponsorship"]) == ["J-1", "J-1 and H-1B", "none"]
    assert list(programs["telemedicine"]) == [True, True, False]
    assert "" not in programs.columns


def test_excel_sep_line_and_empty_optional_cells(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nprogram_name;specialty;state;setting;positions\nA;Pathology;ca;;\n", encoding="utf-8")
    programs = load_programs(path)
    assert programs.loc[0, "state"] == "CA"
    assert programs.loc[0, "setting"] == "community" and programs.loc[0, "positions"] == 0  # the defaults


def test_percent_and_share_columns_follow_the_schema_range(tmp_path):
    """0-100 percent column: 43% and 43 are 43 (0.43 stays 0.43). 0-1 share column: 43% and 0.43 are 0.43."""
    programs = tmp_path / "p.csv"
    programs.write_text(
        "program_name,specialty,state,img_share_pct\nA,Pathology,TX,43%\nB,Pathology,TX,43\nC,Pathology,TX,0.43\n",
        encoding="utf-8",
    )
    assert list(load_programs(programs)["img_share_pct"]) == [43.0, 43.0, 0.43]
    header = "rotation_id,title,host,specialty,setting,clinical_share,informatics_exposure,ci_fellowship_at_host,weeks,description"
    catalogue = tmp_path / "c.csv"
    catalogue.write_text(
        f"{header}\nR1,Wards,Host,Internal Medicine,inpatient,43%,yes,no,4,x\n"
        f"R2,Wards,Host,Internal Medicine,inpatient,0.43,Y,N,4,x\n",
        encoding="utf-8",
    )
    loaded = load_dataset("rotation_catalogue.csv", catalogue)
    assert list(loaded["clinical_share"]) == [0.43, 0.43]
    assert list(loaded["informatics_exposure"]) == [True, True]
    catalogue.write_text(f"{header}\nR1,Wards,Host,Internal Medicine,inpatient,43,yes,no,4,x\n", encoding="utf-8")
    message = _message(catalogue, lambda p: load_dataset("rotation_catalogue.csv", p))
    assert "c.csv row 2, column clinical_share: '43'" in message and "write 0.43 or 43%" in message


# --- what is still wrong: one message, every problem, file + row + column + fix ------------------------------


def test_states_and_specialties_get_a_did_you_mean(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "Program Name,Specialty,State\nA,Internal Medecine,Arizona state\nB,Pediatrics,XX\n", encoding="utf-8"
    )
    message = _message(path)
    assert (
        "mine.csv row 2, column specialty ('Specialty'): 'Internal Medecine' is not one of" in message
        and "Did you mean 'Internal Medicine'?" in message
    )
    assert (
        "mine.csv row 2, column state ('State'): 'Arizona state' is not a U.S. state or territory. "
        "Did you mean AZ (Arizona)?" in message
    )
    assert "mine.csv row 3, column state ('State'): 'XX' is not a U.S. state or territory" in message


def test_all_problems_at_once_with_spreadsheet_row_numbers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Program Name;Specialty;State;IMG share %;Accepts visiting IMGs?;Host fee ($)\n"
        "A;Pathology;TX;12,5;ja;100\n"
        ";;;;;\n"  # a blank row in the middle: row 3, skipped
        "B;Pathology;TX;140;yes;3.800\n",
        encoding="utf-8",
    )
    message = _message(path)
    lines = message.splitlines()
    assert len(lines) == 3, message
    assert lines[0].startswith(
        "export.csv row 2, column accepts_visiting_imgs ('Accepts visiting IMGs?'): "
        "'ja' is not true or false; write yes or no"
    )
    assert lines[1].startswith(
        "export.csv row 4, column img_share_pct ('IMG share %'): '140' is not a number between 0 and 100"
    )
    assert lines[2].startswith("export.csv row 4, column host_fee_usd ('Host fee ($)'): '3.800' could be 3800 or 3.800")


def test_xlsx_problems_name_the_sheet_row_and_column(tmp_path):
    path = _xlsx(
        tmp_path / "mine.xlsx",
        [
            ["Program", "Speciality", "State", "IMG share %"],
            ["A", "Psychiatry", "Ohio", "lots"],
            [None, None, None, None],
            ["B", "Surgery", "OH", 20],
        ],
    )
    message = _message(path)
    assert "mine.xlsx row 2, column img_share_pct ('IMG share %'): 'lots' is not a number between 0 and 100" in message
    assert "mine.xlsx row 4, column specialty ('Speciality'): 'Surgery' is not one of" in message


def test_money_and_percent_signs_only_where_the_column_means_them(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        'program_name,specialty,state,positions,rotation_weeks,img_share_pct\nA,Pathology,TX,$12,4%,"43,5"\n',
        encoding="utf-8",
    )
    message = _message(path)
    assert (
        "mine.csv row 2, column positions: '$12' is not a whole number between 1 and 80; write 12 (no $ or %" in message
    )
    assert "mine.csv row 2, column rotation_weeks: '4%' is not a whole number between 1 and 8; write 4" in message
    assert (
        "mine.csv row 2, column img_share_pct: '43,5' is not a number between 0 and 100; write decimals "
        "with a point, e.g. 43.5" in message
    )


def test_missing_and_doubled_headers_are_reported_together(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("Program Name,Programme,Speciality,Where\nA,A,Pathology,TX\n", encoding="utf-8")
    message = _message(path)
    assert "mine.csv row 1: columns 'Program Name' and 'Programme' both mean program_name" in message
    assert "mine.csv row 1 (the header): missing required column state." in message


def test_nothing_is_half_loaded(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("program_name,specialty,state\nA,Pathology,TX\nB,Pathology,Texas state\n", encoding="utf-8")
    result = None
    with pytest.raises(DataError):
        result = load_programs(path)
    assert result is None


@pytest.mark.parametrize(
    "suffix, words",
    [
        (".xls", "Save As > 'Excel Workbook (.xlsx)'"),
        (".ods", "'Excel 2007-365 (.xlsx)' or 'Text CSV (.csv)'"),
        (".numbers", "File > Export To > Excel"),
    ],
)
def test_other_spreadsheet_formats_say_how_to_export(tmp_path, suffix, words):
    path = tmp_path / f"mine{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    message = _message(path)
    assert message.startswith(f"mine{suffix}: this is ") and words in message


def test_an_old_excel_file_with_a_csv_name_is_recognised(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    assert "Excel 97-2003 workbook" in _message(path)


def test_a_corrupt_xlsx_is_reported_not_crashed(tmp_path):
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    assert "mine.xlsx: cannot be opened as an Excel workbook" in _message(path)


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers(tmp_path):
    path = _xlsx(
        tmp_path / "shortlist.xlsx",
        [
            ["My away-rotation shortlist, spring 2026"],
            [None],
            ["Program", "Specialty", "State", "Visa", "IMG share %"],
            ["A", "Pathology", "Texas", "N/A", "unknown"],
            ["B", "Pathology", "Texas state", "J-1", 30],
        ],
    )
    message = _message(path)
    assert message.startswith("shortlist.xlsx row 5, column state ('State'): 'Texas state'"), message
    path = _xlsx(
        tmp_path / "fixed.xlsx",
        [
            ["My away-rotation shortlist, spring 2026"],
            ["Program", "Specialty", "State", "Visa", "IMG share %"],
            ["A", "Pathology", "Texas", "N/A", "unknown"],
        ],
    )
    programs = load_programs(path)
    assert programs.loc[0, "visa_sponsorship"] == "none" and programs.loc[0, "img_share_pct"] == 0.0


def test_a_folder_instead_of_a_file_is_reported(tmp_path):
    assert "cannot be read" in _message(tmp_path)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("date", "2025-03-07", dt.datetime(2025, 3, 7)),
        ("date", "2025-3-7", dt.datetime(2025, 3, 7)),  # not zero-padded: still a date
        ("date", " 2024-02-29 ", dt.datetime(2024, 2, 29)),
        ("datetime", "2025-03-17 14:05", dt.datetime(2025, 3, 17, 14, 5)),
        ("datetime", "2025-03-17 14:05:09", dt.datetime(2025, 3, 17, 14, 5, 9)),
        ("datetime", "2025-03-17 9:05", dt.datetime(2025, 3, 17, 9, 5)),
        ("datetime", "2025-03-17", dt.datetime(2025, 3, 17)),
        ("date", "2023-02-29", None),  # no such day
        ("date", "2025-03-17 14:05", None),  # a time where only a date belongs
        ("datetime", "2025-03-17T14:05", None),  # the formats are strict: no ISO "T", zone or fraction
        ("datetime", "2025-03-17 14:05+01:00", None),
        ("datetime", "2025-03-17 24:00", None),
        ("date", "\u0662\u0660\u0662\u0665-03-17", dt.datetime(2025, 3, 17)),  # Arabic-Indic digits, as before
    ],
)
def test_dates_take_the_strict_spellings_and_refuse_impossible_days(kind, text, expected):
    value, error = _convert(Column(name="when", kind=kind, description="a day"), text)
    if expected is None:
        assert value is None and error, f"{text!r} as a {kind}: expected a refusal, got {value!r}"
        assert "YYYY-MM-DD" in error, f"the refusal should say how to write it, got {error!r}"
    else:
        assert error is None, f"{text!r} as a {kind}: expected {expected}, got the error {error!r}"
        assert value == pd.Timestamp(expected), f"{text!r} as a {kind}: expected {expected}, got {value!r}"
