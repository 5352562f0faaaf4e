"""Evaluation: classification and calibration metrics, real-text scores, run comparison.

* :mod:`.metrics` - per-head reports (accuracy, macro-F1, per class, per group);
* :mod:`.calibration` - ECE, reliability bins, temperature fitting;
* :mod:`.realnews` - labelled real sentences in sentence mode;
* :mod:`.seed` - the seed article in article mode against LABELS.md;
* :mod:`.compare` - ``python -m geostance.evaluation compare RUN...``;
* :mod:`.runs` - finished runs read back for reports (sets, scores, the scripts' CLI).
"""
