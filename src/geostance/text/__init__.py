"""Text processing with offsets: sentence splitting, language identification, speakers.

* :func:`geostance.text.segment.split_sentences` - sentences with offsets;
* :func:`geostance.text.language.detect_language` - ISO 639-1 code;
* :func:`geostance.text.sources.assign_sources` - who said each sentence.
"""
