"""painlab: interactive lessons on exercise and musculoskeletal pain (a teaching model)."""

__version__ = "0.1.0"
