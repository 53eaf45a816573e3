"""Module 05 near miss: qd, od and qhs found, but the draft would convert them (flag, never convert)."""

ANSWERS = {
    "ex54_answer": """my_flags = ["M08", "M16", "M17"]
answer_5_4 = "a"
""",
}

EXPECTED = {"ex54_tests_a": 1, "ex54_tests_b": 0}
