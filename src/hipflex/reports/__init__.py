"""Reports and exports: charts, the progress report, calendar and data exports."""
