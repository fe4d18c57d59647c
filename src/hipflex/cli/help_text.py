"""`hipflex --help` without loading Typer: the top-level help, as Typer renders it.

A test (tests/cli/test_entrypoint.py) checks this text against Typer's own output at 80
columns, so it cannot drift; it prints the command to regenerate it when it does.
"""

TOP_LEVEL_HELP = """\
Usage: hipflex [OPTIONS] COMMAND [ARGS]...

  A self-care coach for hip flexors shortened by long hours of sitting. Start
  with `hipflex assess`. hipflex guides; it does not diagnose.

Options:
  --version   Show the version and exit.
  -h, --help  Show this message and exit.

Commands:
  assess     Check your hip flexors: the self-tests, step by step.
  plan       This week's programme as exercise cards.
  today      Today's sessions and movement breaks.
  session    A guided session with timers and cues.
  break      The two-minute desk routine of a movement break.
  progress   Your adherence, pain verdict, tests and sitting.
  report     A progress report (PDF or HTML) for a physiotherapist.
  retest     Repeat the self-tests as a re-test of your block.
  measure    Measure the self-tests' angles from a side photo.
  history    Your saved assessments.
  learn      Why sitting tightens the hip flexors, and what helps.
  exercises  The exercise cards.
  settings   View or change your preferences.
  serve      Start the web app on this computer.
  export     Export your data as JSON, CSV or FHIR.
  import     Restore a JSON export into an empty hipflex.
  backup     Copy your database to a new file.
  log        Record pain, sitting, sessions and notes.
  remind     Movement-break reminders while you sit.
  calendar   Put your programme in a calendar app.
  data       Manage your data as a whole (erase).
  users      Team mode: manage the server's accounts.
  db         The database's schema (`hipflex db upgrade`).
"""
