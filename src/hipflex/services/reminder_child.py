"""`python -m hipflex.services.reminder_child`: the process the reminder daemon starts to ask
hipflex (one batch of requests on stdin, the answers on stdout). It starts as a command
does (hipflex.startup: no search for pydantic plugins, compiled code kept between
processes), then answers as `python -m hipflex.services.reminder_exchange` does."""

from __future__ import annotations

import sys


def run() -> int:
    from hipflex.startup import prepare

    prepare()
    from hipflex.services.reminder_exchange import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
