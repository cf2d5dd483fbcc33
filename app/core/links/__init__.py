"""Links from clauses to departments, indicators and deadlines (pure text analysis, no I/O)."""
