"""The PolicyDesk engine. Never imports Qt; the CLI, the desktop app and the tests all call `Library`."""
