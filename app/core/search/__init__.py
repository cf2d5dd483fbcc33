"""Full-text search. Every whoosh call of the project lives in this package."""
