"""``avzoo retrieve``: cross-modal and compositional retrieval over a gallery of clips.

The gallery is a benchmark (``synth_retrieval``, ``vggss_retrieval``, or any test set) or a folder
with ``frames/<id>.jpg`` and ``audio/<id>.wav``; every clip is embedded once by the method's
encoders (the global embeddings of ``LocalizationMethod.embeddings``, L2-normalised; ``space='projected'``:
the method's projection heads, where it has them). Queries are gallery clips, named by id:

- ``a2i``: the sound of clip ``q`` ranks the gallery's images; ``i2a``: its image ranks the sounds;
- compositional (the alignment paper's Fig. 7): ``z = normalise(lam * v_image + (1 - lam) * a_sound)``
  of an image and a sound (two clips) ranks the gallery's images (``target='image'``) or sounds.

Ranking is by cosine similarity, ties broken by gallery order.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from avzoo.utils.errors import AvzooError


@dataclass
class Gallery:
    """``ids`` ``[N]``, ``frames`` (paths), ``visual`` / ``audio`` ``[N, C]`` L2-normalised embeddings."""
    ids: List[str]
    frames: List[str]
    visual: torch.Tensor
    audio: torch.Tensor
    label: str

    def index(self, clip_id: str) -> int:
        try:
            return self.ids.index(clip_id)
        except ValueError:
            raise AvzooError(f'{clip_id!r} is not in the gallery ({len(self.ids)} clips, e.g. {self.ids[0]!r})') from None


def folder_ids(folder: str) -> List[str]:
    """Ids of a gallery folder: the stems of ``frames/*.jpg`` that also have ``audio/<id>.wav``."""
    frames, audio = os.path.join(folder, 'frames'), os.path.join(folder, 'audio')
    if not os.path.isdir(frames) or not os.path.isdir(audio):
        raise AvzooError(f'{folder}: a gallery folder needs frames/<id>.jpg and audio/<id>.wav')
    ids = sorted(os.path.splitext(f)[0] for f in os.listdir(frames) if f.endswith('.jpg')
                 and os.path.isfile(os.path.join(audio, os.path.splitext(f)[0] + '.wav')))
    if not ids:
        raise AvzooError(f'{folder}: no clip with both frames/<id>.jpg and audio/<id>.wav')
    return ids


@torch.no_grad()
def embed_gallery(method: str, checkpoint: Optional[str], bench: Optional[str] = None, folder: Optional[str] = None,
                  data_root=None, space: str = 'backbone') -> Gallery:
    """Embed every clip of ``bench`` (or of ``folder``) with ``method``'s encoders."""
    from avzoo.engine.benchmark_config import benchmark_runner
    from avzoo.zoo import label as method_label
    if space not in ('backbone', 'projected'):
        raise AvzooError(f"--space {space!r}: choose backbone or projected")
    if (bench is None) == (folder is None):
        raise AvzooError('give either a benchmark (--bench) or a gallery folder (--gallery DIR)')
    tmp = None
    if folder is not None:
        tmp = tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False)
        tmp.write('\n'.join(folder_ids(folder)) + '\n')
        tmp.close()

    def folder_dataset(ds: dict) -> dict:
        """The benchmark's test dataset settings (size, audio window, frame pipeline) on the folder."""
        return dict(type='AVPairTestDataset', data_root=folder, id_list=tmp.name, image_size=ds.get('image_size', 224),
                    audio=ds.get('audio'), **({'image_pipeline': ds['image_pipeline']} if 'image_pipeline' in ds else {}))
    try:
        runner = benchmark_runner(method, checkpoint, bench or 'synth_retrieval', data_root if bench else None,
                                  dataset=folder_dataset if folder is not None else None)
        model, dataset = runner.model.eval(), runner.test_dataloader.dataset
        keys = ('visual_proj', 'audio_proj') if space == 'projected' else ('visual', 'audio')
        ids, frames, vis, aud = [], [], [], []
        from avzoo.utils.terminal import track
        for batch in track(runner.test_dataloader, f'embed the gallery with {method}'):
            for p in model.test_step(batch):
                if not bool(p.get('valid', True)):
                    continue
                if keys[0] not in p or keys[1] not in p:
                    raise AvzooError(f'{method}: no {space} embeddings of both modalities (floors have none; '
                                     f"methods without projection heads: use --space backbone)")
                ids.append(str(p['id']))
                frames.append(dataset.items[int(p['index'])]['frame'])
                vis.append(torch.as_tensor(p[keys[0]]).float())
                aud.append(torch.as_tensor(p[keys[1]]).float())
    finally:
        if tmp is not None:
            os.unlink(tmp.name)
    return Gallery(ids, frames, F.normalize(torch.stack(vis), dim=1), F.normalize(torch.stack(aud), dim=1),
                   method_label(method))


def compose(visual: torch.Tensor, audio: torch.Tensor, lam: float) -> torch.Tensor:
    """``normalise(lam * v + (1 - lam) * a)`` for ``[C]`` (or ``[N, C]``) unit vectors."""
    if not 0.0 <= lam <= 1.0:
        raise AvzooError(f'--lam {lam}: the mixing weight lambda must be in [0, 1]')
    return F.normalize(lam * visual + (1 - lam) * audio, dim=-1)


def rank(query: torch.Tensor, gallery: torch.Tensor, k: int) -> Tuple[List[int], List[float]]:
    """Top-``k`` gallery rows by cosine similarity (stable: ties keep gallery order)."""
    scores = gallery @ query
    order = torch.sort(-scores, stable=True).indices[:k]
    return order.tolist(), scores[order].tolist()


def retrieve(gallery: Gallery, query: str, direction: str, k: int = 5) -> Tuple[List[int], List[float]]:
    """``a2i``: the sound of clip ``query`` ranks images; ``i2a``: its image ranks sounds."""
    q = gallery.index(query)
    if direction == 'a2i':
        return rank(gallery.audio[q], gallery.visual, k)
    if direction == 'i2a':
        return rank(gallery.visual[q], gallery.audio, k)
    raise AvzooError(f'--direction {direction!r}: choose a2i or i2a')


def retrieve_composed(gallery: Gallery, image: str, sound: str, lam: float, target: str = 'image',
                      k: int = 5) -> Tuple[List[int], List[float]]:
    """The image of clip ``image`` and the sound of clip ``sound`` mixed with weight ``lam``."""
    z = compose(gallery.visual[gallery.index(image)], gallery.audio[gallery.index(sound)], lam)
    if target not in ('image', 'audio'):
        raise AvzooError(f"--target {target!r}: choose image or audio")
    return rank(z, gallery.visual if target == 'image' else gallery.audio, k)


def retrieval_figure(gallery: Gallery, queries: Sequence[Tuple[str, str]], hits: Sequence[int],
                     scores: Sequence[float], title: str, subtitle: str = ''):
    """Query panels (``(clip id, 'image' | 'sound')``) then the top hits (frames of the retrieved
    clips), each captioned with rank, id and cosine similarity."""
    from avzoo.visualization import Panel, heatmap_figure
    from avzoo.visualization.zoo_figures import display_frame
    row = [Panel(display_frame(gallery.frames[gallery.index(cid)]), f'query: the {what} of {cid}')
           for cid, what in queries]
    row += [Panel(display_frame(gallery.frames[i]), f'#{r + 1} {gallery.ids[i]} ({s:.2f})')
            for r, (i, s) in enumerate(zip(hits, scores))]
    return heatmap_figure([row], title, subtitle)


def results_text(gallery: Gallery, hits: Sequence[int], scores: Sequence[float], target_id: Optional[str] = None) -> str:
    lines = []
    for r, (i, s) in enumerate(zip(hits, scores)):
        mark = '  <- the query clip itself' if target_id is not None and gallery.ids[i] == target_id else ''
        lines.append(f'{r + 1:>3}  {gallery.ids[i]}  {s:+.3f}{mark}')
    return '\n'.join(lines)
