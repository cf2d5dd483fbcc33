"""Thresholds of the re-anchoring matcher (the package docstring, `app.core.anchor`, gives the data behind
them)."""

ID_RATIO = 0.6  # same id, or the same relative id in a newer version
ID_CONTAIN_FLOOR = 0.4  # ... or contain >= CONTAIN with at least this ratio
HEADING_RATIO = 0.3  # the same heading elsewhere (a heading path that is the same needs no similarity)
TEXT_RATIO = 0.75  # text similarity alone
TEXT_CONTAIN_FLOOR = 0.5  # ... or contain >= CONTAIN with at least this ratio
CONTAIN = 0.9  # the shorter text survives almost whole in the other (a sentence appended or deleted)
SHORT_TEXT = 20  # characters; shorter texts match by text alone only from SHORT_RATIO
SHORT_RATIO = 0.9
STRONG = 0.9  # a candidate this good ends the search for an anchor (weaker ones only if it is taken)
SHORTLIST = 4  # clauses per candidate document scored after the bigram prefilter
RARE_BIGRAMS = 32  # the anchor's rarest bigrams that pick the shortlist ...
SHORTLIST_POSTINGS = 1000  # ... as long as their clause lists stay this short in all (big documents)
_FLOOR = {"id": ID_CONTAIN_FLOOR, "path": 0.0, "heading": HEADING_RATIO, "text": TEXT_CONTAIN_FLOOR}
_BONUS = {"id": 0.02, "path": 0.01, "heading": 0.005, "text": 0.0}  # tie-breaks: position before text
