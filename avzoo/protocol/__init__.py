"""The protocol behind a number: which clips a benchmark tests on (``clips``), which training
lists avzoo ships (``lists``), how much a list overlaps a benchmark (``audit``), how a run chose
its checkpoint (``selection``) and the ``protocol`` block every result carries (``provenance``)."""
