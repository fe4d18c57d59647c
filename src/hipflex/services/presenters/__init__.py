"""Presenters: every JSON hipflex emits (the API, `--json`, the daemon's boundary) as a
pydantic model, one module per resource, each with the function that builds it from the
service's result. The API declares them as response models, so the OpenAPI document
describes what is really sent, and the CLI prints the same models, so the two never drift.

Field names and values are the documented JSON contracts (README.md): change them only
on purpose. Import the modules themselves; this package imports nothing at start-up."""
