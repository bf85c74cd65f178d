"""avzoo's version (one place: the package, its checkpoints' metadata and its protocol blocks read it)."""
__version__ = '0.1.0'
