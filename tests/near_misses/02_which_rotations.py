"""Module 02 near miss: a list of real catalogue rotations with a likely letter early, but the
informatics elective first (so slot 1 is not clinical and the elective is out of place)."""

ANSWERS = {"ex22_answer": 'my_rotations = ["R24", "R01", "R02"]'}
EXPECTED = {"ex22_tests_a": 1, "ex22_tests_b": 0, "ex22_tests_c": 0, "ex22_tests_d": 1}
