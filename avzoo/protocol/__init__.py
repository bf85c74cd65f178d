"""The protocol behind a number: how much a training list overlaps a benchmark (``audit``), whether
a benchmark's media are all there (``datacheck``), how a run chose its checkpoint (``selection``)
and the ``protocol`` block every result carries (``provenance``). Clip identity, the shipped test
sets and the training lists they read are data: ``avzoo.datasets.clips``, ``.test_sets``,
``.train_lists``."""
