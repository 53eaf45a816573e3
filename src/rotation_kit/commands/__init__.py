"""The kit's commands: one module (or package) per `rotation-kit` verb; `cli.py` is the thin layer over them."""
