"""What a method is: the training objective and the test-time map on top of shared encoders,
and the contract that ``AVLocalizer`` and the hooks rely on (declared here, never probed)."""
from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

from torch import Tensor, nn

from avzoo.models.losses import cosine_map

ANCHOR = 'anchor'    # the view every sample has: the frame and the sound as the dataset gives them


class MomentumPair(NamedTuple):
    """``target <- m * target + (1 - m) * online`` before every training step. ``online`` and
    ``target`` are module paths inside the method (``'heads.v1'``); ``m`` the rate."""
    online: str
    target: str
    m: float


class EncoderMomentum(NamedTuple):
    """Rates of the momentum copies of the two encoders that ``AVLocalizer`` keeps for a method."""
    visual: float
    audio: float


class LocalizationMethod(nn.Module):
    """Base class of a method (registered in ``MODELS``). Subclasses declare:

    - ``views``: the extra input views the method trains on (``'aug'``, ``'nn'``); the training
      dataset must produce them. ``views_of(modality)`` narrows them per modality (``'image'``,
      ``'audio'``): a modality without extra views contributes its anchor alone, and only the views
      a modality uses go through its encoder (no duplicated anchors in a batch-norm batch);
    - ``trains``: False for the training-free floors (nothing to optimise, no checkpoint needed).
    - ``encoder_momentum``: an :class:`EncoderMomentum` when the method's targets come from
      momentum copies of the encoders (``AVLocalizer`` builds, updates and saves them);
    - ``momentum_pairs()``: momentum copies inside the method (heads), updated by
      ``AVLocalizer`` in the same place as the encoders, before each training step;
    - ``use_momentum_eval``: the test-time map comes from the momentum branch;
    - ``encoders``: the encoders the test-time map needs (``'visual'``, ``'audio'``); the others
      are not run at test time and their input is None (the floors need fewer);
    - ``on_epoch(epoch)``: called by ``MethodEpochHook`` before each training epoch (no-op);
    - ``derived_views`` / ``derive_views(inputs)``: views the method makes itself, on the device,
      from the training batch (SSL-TIE's rotated and rescaled frame), not loaded by the dataset.

    ``loss`` gets the encoder outputs per view: ``v_maps[view]`` ``[B, C, h, w]`` and
    ``a_embs[view]`` ``[B, C]`` (``view`` in ``'anchor' | 'aug' | 'nn'``, the ``derived_views``,
    plus ``'momentum'``, the anchor through the momentum encoders, when ``encoder_momentum`` is
    set) and returns named
    losses (keys starting with ``loss`` are summed and optimised, others are logged).
    ``localization_map`` gives the raw test-time map ``[B, h, w]`` (higher = sounding),
    ``confidence`` a per-sample score ``[B]``, ``embeddings`` the global embeddings.
    ``similarity_map`` puts the raw map on one absolute scale for every method, the cross-modal
    cosine similarity mapped to ``[0, 1]`` as ``(cos + 1) / 2`` (the negative-audio protocol's
    scale, where one threshold is meant to hold for every image and sound); the default assumes
    ``localization_map`` is the cosine itself, methods that scale it (by ``1 / tau``) undo that.
    """

    views: Tuple[str, ...] = ()
    trains: bool = True
    encoder_momentum: Optional[EncoderMomentum] = None
    use_momentum_eval: bool = False
    encoders: Tuple[str, ...] = ('visual', 'audio')
    derived_views: Tuple[str, ...] = ()

    def views_of(self, modality: str) -> Tuple[str, ...]:
        """The extra views of ``modality`` (``'image'`` or ``'audio'``) the loss uses."""
        return tuple(self.views)

    def momentum_pairs(self) -> List[MomentumPair]:
        return []

    def on_epoch(self, epoch: int) -> None:
        """The epoch (0-based) about to be trained; for schedules that live inside a loss."""

    def derive_views(self, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """Training only: the ``derived_views`` made from the batch (after the data preprocessor),
        as ``{'image_<view>' | 'audio_<view>': tensor}``. Each goes through its encoder in a pass of
        its own (its own batch-norm statistics; its size may differ from the anchor's) and reaches
        ``loss`` as ``v_maps[view]`` / ``a_embs[view]``."""
        return {}

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        raise NotImplementedError(f'{type(self).__name__} declares trains=True but has no loss')

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        return cosine_map(v_map, a_emb)

    def similarity_map(self, raw_map: Tensor) -> Tensor:
        """``localization_map`` output ``[B, h, w]`` -> ``(cos + 1) / 2`` in ``[0, 1]``."""
        return (raw_map + 1) / 2

    def confidence(self, raw_map: Tensor) -> Tensor:
        """Default: mean of the top 25 % of the raw map's values (SLAVC's rule without its
        method-specific rescaling, which is monotone per method)."""
        flat = raw_map.flatten(1)
        k = max(1, flat.shape[1] // 4)
        return flat.topk(k, dim=1).values.mean(dim=1)

    def embeddings(self, v_map: Optional[Tensor], a_emb: Optional[Tensor]) -> Dict[str, Tensor]:
        """Backbone embeddings (visual average-pooled), L2-normalised; only of the encoders run."""
        out = {}
        if v_map is not None:
            out['visual'] = nn.functional.normalize(v_map.mean(dim=(2, 3)), dim=1)
        if a_emb is not None:
            out['audio'] = nn.functional.normalize(a_emb, dim=1)
        return out


SSLMethod = LocalizationMethod   # the former name (before 0.2), kept for methods written against it
