"""The lessons: one module per course notebook, named after it, holding that module's reference code.

A notebook imports its lesson (`from rotation_kit.lessons import where_to_rotate`) and calls
`where_to_rotate.score_table(...)` where the learner is not asked to write the code.
"""
