"""Module 04 near miss: the HL7 values read right, except the message type taken one piece too far (the MSH quirk)."""

ANSWERS = {
    "ex42_answer": """my_hl7 = {
    "family_name": "Tavrel",
    "birth_date": "19780215",
    "message_type": "LAB88213",
    "first_result": "138",
    "first_result_units": "mmol/L",
}
""",
}

EXPECTED = {"ex42_tests_a": 1, "ex42_tests_b": 0, "ex42_tests_c": 1}
