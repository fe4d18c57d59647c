"""`python -m hipflex`: the same command as `hipflex`."""

from hipflex.cli import main

main()
