"""`python -m hipflex.reminders`: the reminder daemon, as `hipflex remind` starts it."""

import sys

from hipflex.reminders.run import main

sys.exit(main())
