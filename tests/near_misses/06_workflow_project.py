"""Exercise 6.3: the ward chart read right, practice chart A wrong (a point on the median taken to break the shift)."""

ANSWERS = {
    "ex63_answer": 'my_shifts = {"ward": 2, "A": 0, "B": 0}\nmy_trends = {"ward": 0, "C": 1, "D": 0}\n',
}
EXPECTED = {"ex63_tests_a": 1, "ex63_tests_b": 0, "ex63_tests_c": 1, "ex63_tests_d": 2}
