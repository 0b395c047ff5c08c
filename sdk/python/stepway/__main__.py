"""`python -m stepway` is the `stepway` command."""

from stepway.cli import main

main()
