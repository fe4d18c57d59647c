"""Use cases: the one API the CLI, the web app and the reminder daemon all call."""
