"""Module 00, Exercise 0.3: Stage 1 and Stage 2 told apart, but the hybrid and roles routes swapped."""

ANSWERS = {
    "ex03_answer": """my_sorting = {
    "S01": "stage1", "S02": "stage1", "S03": "stage1", "S04": "stage1", "S05": "fellowship", "S06": "fellowship",
    "S07": "roles", "S08": "roles", "S09": "hybrid", "S10": "hybrid", "S11": "hybrid", "S12": "roles",
}""",
}
EXPECTED = {"ex03_tests_a": 1, "ex03_tests_b": 0}
