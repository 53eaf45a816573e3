"""Module 08 near miss: an entry that fits the ERAS limit (right) but writes an observation up as a project
the learner led (wrong: R01's record says "observed")."""

ANSWERS = {
    "ex81_answer": (
        "my_entry = {\n"
        '    "record_id": "R01",\n'
        '    "clinical": "Carried four to six patients on a general medicine team and presented them on rounds",\n'
        '    "informatics": "Led a quality-improvement project that reduced delays in the sepsis alert response",\n'
        '    "learned": "Learned that nurses, residents and pharmacists each see a different view of the alert",\n'
        "}\n"
    ),
}
EXPECTED = {"ex81_tests_a": 2, "ex81_tests_b": 0}
