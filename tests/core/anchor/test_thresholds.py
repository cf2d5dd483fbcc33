"""app.core.anchor.thresholds: the matcher's thresholds keep the order the package docstring argues for, and the
docstring quotes the numbers in force."""

from __future__ import annotations

import app.core.anchor as anchor
from app.core.anchor import thresholds as t


def test_ratios_are_fractions() -> None:
    for name in ("ID_RATIO", "ID_CONTAIN_FLOOR", "HEADING_RATIO", "TEXT_RATIO", "TEXT_CONTAIN_FLOOR", "CONTAIN",
                 "SHORT_RATIO", "STRONG"):
        assert 0.0 < getattr(t, name) <= 1.0, name


def test_more_evidence_needs_less_similarity() -> None:
    # heading (same heading elsewhere) < id (same position) < text alone < short texts by text alone
    assert t.HEADING_RATIO < t.ID_RATIO < t.TEXT_RATIO < t.SHORT_RATIO
    assert t.ID_CONTAIN_FLOOR < t.ID_RATIO and t.TEXT_CONTAIN_FLOOR < t.TEXT_RATIO  # containment relaxes each
    assert t.ID_CONTAIN_FLOOR <= t.TEXT_CONTAIN_FLOOR
    assert t.STRONG > t.TEXT_RATIO  # a strong match ends the search only above what text alone admits


def test_tier_tables() -> None:
    tiers = ["id", "path", "heading", "text"]  # strongest evidence first
    assert list(t._FLOOR) == tiers and list(t._BONUS) == tiers
    assert t._FLOOR == {"id": t.ID_CONTAIN_FLOOR, "path": 0.0, "heading": t.HEADING_RATIO,
                        "text": t.TEXT_CONTAIN_FLOOR}
    bonuses = [t._BONUS[k] for k in tiers]
    assert bonuses == sorted(bonuses, reverse=True) and bonuses[-1] == 0.0  # position breaks ties, text last
    assert max(bonuses) < 0.05  # a tie-break, never a reason to prefer a much weaker text


def test_shortlist_sizes() -> None:
    for value in (t.SHORT_TEXT, t.SHORTLIST, t.RARE_BIGRAMS, t.SHORTLIST_POSTINGS):
        assert isinstance(value, int) and value > 0
    assert t.RARE_BIGRAMS < t.SHORTLIST_POSTINGS


def test_the_package_docstring_quotes_the_thresholds() -> None:
    doc = " ".join((anchor.__doc__ or "").split())  # line breaks aside
    assert f"The same id is accepted from {t.ID_RATIO}" in doc
    assert f"Text alone is accepted from {t.TEXT_RATIO}" in doc
    assert f"contain ≥ {t.CONTAIN} with ratio ≥ {t.TEXT_CONTAIN_FLOOR}" in doc
    assert f"elsewhere needs {t.HEADING_RATIO}" in doc
    assert f"Texts under {t.SHORT_TEXT} characters" in doc and f"only from {t.SHORT_RATIO}" in doc
