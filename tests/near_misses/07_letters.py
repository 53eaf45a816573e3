"""Module 07 near miss: two attendings from the week-2 table (right), but the one with the most minutes first
(wrong: Dr. Quennet saw the learner on rounds only and was cool on informatics; Dr. Ostrand is the stronger bet)."""

ANSWERS = {
    "ex71_answer": 'my_writer_picks = ["W2", "W1"]\n',
}
EXPECTED = {"ex71_tests_a": 2, "ex71_tests_b": 0}
