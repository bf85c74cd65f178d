"""avzoo's Runner: atomic checkpoints and safe (``weights_only``) resume on torch >= 2.6."""
from __future__ import annotations

import copyreg
import os

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import Runner

from avzoo.errors import AvzooError
from avzoo.registry import RUNNERS


def rebuild_history_buffer(log_history: list, count_history: list, max_length: int) -> HistoryBuffer:
    """Unpickling target of :class:`HistoryBuffer` (see :func:`allow_mmengine_checkpoint_globals`)."""
    return HistoryBuffer(log_history, count_history, max_length)


def _reduce_history_buffer(buf: HistoryBuffer):
    return rebuild_history_buffer, (buf._log_history.tolist(), buf._count_history.tolist(), buf.max_length)


def allow_mmengine_checkpoint_globals() -> None:
    """Make MMEngine checkpoints load with ``torch.load(weights_only=True)`` (torch >= 2.6).

    MMEngine pickles the message hub's HistoryBuffers with their bound statistics methods, which
    needs ``builtins.getattr`` on load: allowlisting that would defeat ``weights_only``. Instead a
    copyreg reducer pickles a buffer as plain lists rebuilt by :func:`rebuild_history_buffer`,
    and only that function and the numpy reconstruction helpers are allowlisted.
    """
    copyreg.pickle(HistoryBuffer, _reduce_history_buffer)
    try:
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct, scalar
    dtypes = [type(np.dtype(t)) for t in ('float64', 'float32', 'int64', 'int32', 'bool')]
    torch.serialization.add_safe_globals([rebuild_history_buffer, np.ndarray, np.dtype, _reconstruct, scalar, *dtypes])


@RUNNERS.register_module()
class AvzooRunner(Runner):
    """MMEngine Runner whose checkpoints are written to ``<name>.partial`` and renamed into place,
    so an interrupted save never leaves a truncated checkpoint under the real name."""

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        partial = filename + '.partial'
        super().save_checkpoint(out_dir, partial, *args, **kwargs)
        if self.rank == 0:
            os.replace(os.path.join(out_dir, partial), os.path.join(out_dir, filename))

    def load_checkpoint(self, filename: str, map_location='cpu', strict: bool = True, revise_keys=None):
        """Load weights strictly: a checkpoint that does not fit the model is an error, never a
        silently half-random model (the releases' ``strict=False`` pitfall)."""
        if not os.path.isfile(filename):
            raise AvzooError(f'checkpoint not found: {filename}')
        kwargs = {} if revise_keys is None else dict(revise_keys=revise_keys)
        try:
            return super().load_checkpoint(filename, map_location=map_location, strict=strict, **kwargs)
        except RuntimeError as exc:
            if 'state_dict' in str(exc) or 'size mismatch' in str(exc):
                first = str(exc).strip().splitlines()
                raise AvzooError(f'{filename}: does not fit this model ({" ".join(first[:2])[:300]})') from None
            raise


allow_mmengine_checkpoint_globals()
