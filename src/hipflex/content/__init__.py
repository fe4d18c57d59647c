"""The protocol as data: TOML files shipped in the package, and their validating loader."""

from hipflex.content.loader import ContentError, build_content, load_content

__all__ = ["ContentError", "build_content", "load_content"]
