"""Module 03 near misses: a shortlist whose reach is right but whose realistic pick is a tier-1 brand,
and weights that are complete but put prestige first."""

ANSWERS = {
    "ex36_answer": 'my_shortlist = {"reach": "P057", "realistic": ["P033"]}',
    "ex33_answer": 'my_weights = {"informatics": 2, "img_friendly": 2, "geo_fit": 2, "prestige": 5}',
}
EXPECTED = {"ex36_tests_a": 1, "ex36_tests_b": 0, "ex33_tests_a": 1, "ex33_tests_b": 0}
