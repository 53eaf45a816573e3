"""Module 01, Exercise 1.1: the USCE and repair rules right (Kim, Ravi), the visa and budget limits missed (Lena)."""

ANSWERS = {
    "ex11_answer": 'counts_for_others = {"Kim": 2, "Ravi": 4, "Lena": 3, "Omar": 3}',
}
EXPECTED = {"ex11_tests_a": 1, "ex11_tests_b": 0}
