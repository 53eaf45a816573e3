"""`python -m rotation_kit.course.nbgrader_main ARGS`: nbgrader's own command line, started the kit's way.

Same program as `nbgrader ARGS`; only the start-up skips jsonschema's unused IRI parsers
(see `_startup`). `course.run_nbgrader` uses it for every nbgrader call the kit makes.
"""

from rotation_kit._startup import skip_unused_iri_checker

skip_unused_iri_checker()

if __name__ == "__main__":
    import sys

    from nbgrader.apps.nbgraderapp import main

    sys.argv[0] = "nbgrader"
    sys.exit(main())
