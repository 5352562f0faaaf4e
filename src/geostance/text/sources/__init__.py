"""Rule-based attribution: who is speaking in each sentence of an article.

``assign_sources`` returns, per sentence, the speaker of a quote or reported
statement, or "" when the outlet itself asserts it. The package is split by
concern:

* :mod:`.lexicon` - verb lists, source prepositions, word sets and patterns
  per language, and the language groups;
* :mod:`.names` - personal names in text, title trimming, surname expansion;
* :mod:`.morph` - nominative forms of inflected names;
* :mod:`.cues` - sentence-level cues (headings, quote marks, first person);
* :mod:`.clauses` - the speaker inside one sentence;
* :mod:`.attribution` - quotes across sentences, turns and pronouns;
* :mod:`.evaluate` - metrics against gold sources and the ``eval`` CLI.

Names are returned as written but with leading titles dropped: "Rysslands
utrikesminister Sergej Lavrov" -> "Sergej Lavrov". A bare surname is expanded
to the full name seen elsewhere in the article ("Medvedev" -> "Dmitri
Medvedev"). Subjects without a personal name ("Kreml", "En ledamot av
statsduman") are kept whole. Inflected names are put in the nominative.
"""

from __future__ import annotations

from .attribution import assign_sources, sentence_speakers, sources_by_document
from .evaluate import evaluate, evaluate_sources, format_table, main

__all__ = ["assign_sources", "evaluate", "evaluate_sources", "format_table", "main",
           "sentence_speakers", "sources_by_document"]
