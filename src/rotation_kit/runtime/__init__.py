"""The learner runtime: what the course notebooks import while a learner works.

Checks with feedback for people (`checks`), saved work between modules (`state`, `profile`),
where the kit's data and the learner's files are (`paths`), loading and validating tables
(`tables`, `loaders`, `schemas`) and the course's plots (`plots`).
"""
