"""The PySide6 desktop app (the only package that may import Qt)."""
