"""The index schema. Bump SCHEMA_VERSION whenever fields or analyzers change: the app then rebuilds."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, TEXT, Schema

from app.core.search.analysis import WordAnalyzer

# 2: exact-substring recall moved from a bigram field to the literal scan (literal.py); no positions.
# 3: headings are results (chapter/section nodes indexed) and every clause inherits its ancestors' headings (anc).
# 4: the literal scan became a positional bigram index (literal.py, its own files in the generation).
# 5: a law's 第X节 headings are results too, like its chapters (every container level of app.core.models).
SCHEMA_VERSION = 5

# Field weights (BM25F field boosts). Headings count more than body text; the breadcrumb a little.
HEAD_BOOST = 3.0
PATH_BOOST = 0.6


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        doc=ID(stored=True),
        kind=ID(stored=True),
        level=ID(),
        # Phrases and literal matches are the literal scan's job: no positions stored.
        words=TEXT(analyzer=WordAnalyzer(), phrase=False),
        head=TEXT(analyzer=WordAnalyzer(), phrase=False, field_boost=HEAD_BOOST),
        anc=TEXT(analyzer=WordAnalyzer(), phrase=False),
        path=TEXT(analyzer=WordAnalyzer(), phrase=False, field_boost=PATH_BOOST),
        # Link facets, filled by the links engine (departments, deadline year, has-indicator).
        dept=KEYWORD(commas=True, scorable=False),
        year=KEYWORD(commas=True, scorable=False),
        has_ind=ID(),
    )
