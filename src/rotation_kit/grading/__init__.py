"""Instructor grading on top of nbgrader: fast, safe and tamper-proof (`rotation-kit grade ...`).

One module per step of the workflow (grading/README.md):

- `roster`: import the class list into nbgrader's gradebook;
- `collect`: bring submissions in (LMS zip via nbgrader's zip_collect, a folder, nbgrader's exchange);
- `screen`: look at each submitted file before nbgrader does (unreadable files, tampering, stray files);
- `autograde`: grade everything new on all cores and merge into the gradebook, with a summary;
- `execute`: nbgrader's Execute preprocessor made robust to hostile notebooks;
- `sandbox`: the learner's kernel inside bubblewrap, under resource limits;
- `formgrade`: start nbgrader's formgrader for manual grading;
- `feedback`: feedback pages that never show hidden tests;
- `report`: grades.csv and the class report;
- `demo`: a fictional class to try the workflow on (tests and the benchmark use it too);
- `commands`: the command line.
"""

from .._startup import skip_unused_iri_checker

skip_unused_iri_checker()  # workers and commands import nbformat next
