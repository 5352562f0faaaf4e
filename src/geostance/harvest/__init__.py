"""Real text for training: extract, select and annotate passages of licensed documents.

The real corpus (``data/real/``) is rebuilt from public repository snapshots
fetched beside the project (``/work/.mirror/OWNER+NAME/repo``); nothing here needs
the network. ``python -m geostance.harvest --help`` lists the steps: ``build``
(extract, select, segment), ``batches`` (for annotators), ``adjudicate`` (the
disagreements of two passes), ``merge`` (write ``data/real``) and ``verify``
(rebuild and compare).
"""
