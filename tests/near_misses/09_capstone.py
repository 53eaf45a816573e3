"""Exercise 9.1: a number of rotations in range, but the same host picked twice."""

ANSWERS = {"ex91_answer": "my_count = 2\nmy_picks = [1, 1]\n"}
EXPECTED = {"ex91_tests_a": 1, "ex91_tests_b": 0}
