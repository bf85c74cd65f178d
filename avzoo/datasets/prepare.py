"""``avzoo prepare``: raw videos -> the media layout the loaders read.

For every id of a benchmark's list, ``<videos>/<id>.<ext>`` becomes ``frames/<id>.jpg`` (the
frame at the annotated time) and ``audio/<id>.wav`` (mono, ``sample_rate`` Hz, the whole clip;
the loaders cut their window). ffmpeg does the decoding (the binary of the ``imageio-ffmpeg``
package, or one on PATH). The run is parallel (one ffmpeg per worker), resumable (finished ids
are skipped; outputs are written to a temporary name and renamed), shows a progress bar, and
ends with a report (``prepare_report.json``) of missing and corrupt videos.
"""
from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from avzoo.datasets.annotations import annotation_path, read_id_list, read_json_records
from avzoo.datasets.media import MediaError
from avzoo.datasets.video import probe
from avzoo.utils.errors import AvzooError
from avzoo.utils.ffmpeg import ffmpeg_exe

VIDEO_EXTS = ('.mp4', '.mkv', '.webm', '.avi', '.mov')


@dataclass
class PrepareSpec:
    """What a dataset needs: its ids and when its annotated frame is (seconds, or None = the
    middle of the clip)."""
    ids_from: str
    frame_time: Optional[float]
    about: str


def _presets() -> Dict[str, PrepareSpec]:
    """The test sets, then every shipped training list (``avzoo audit``'s names, release and clean)."""
    from avzoo.datasets.train_lists import TRAIN_LISTS
    presets = {
        'vggss': PrepareSpec('vggss.json', 5.0, 'VGG-SS test (5,158 clips of vggss.json; frame at 5 s of the 10-s clip)'),
        'flickr': PrepareSpec('flickr_test.csv', None, 'Flickr-SoundNet test (250 videos; frame at the middle)'),
    }
    for t in TRAIN_LISTS.values():
        presets[t.name] = PrepareSpec(t.file, 5.0 if t.source == 'vggsound' else None, f'{t.about} training clips')
    return presets


PRESETS: Dict[str, PrepareSpec] = _presets()


def ids_for(source: str) -> List[str]:
    """Ids of a shipped list / annotation (``vggss.json`` -> its ``file`` fields) or a user file."""
    path = annotation_path(source)
    if path.endswith('.json'):
        return [r['file'] for r in read_json_records(path, ('file',))]
    return read_id_list(path, column=0, strip_ext=True)


def find_video(videos: str, vid: str) -> Optional[str]:
    for ext in VIDEO_EXTS:
        path = os.path.join(videos, vid + ext)
        if os.path.isfile(path):
            return path
    return None


@dataclass
class PrepareReport:
    done: int = 0
    skipped_existing: int = 0
    missing: List[str] = field(default_factory=list)
    corrupt: Dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(done=self.done, skipped_existing=self.skipped_existing, n_missing=len(self.missing),
                    n_corrupt=len(self.corrupt), missing=self.missing, corrupt=self.corrupt)


def prepare_one(exe: str, video: str, vid: str, out: str, frame_time: Optional[float], sample_rate: int) -> None:
    """One video -> ``frames/<vid>.jpg`` + ``audio/<vid>.wav``; raises ``RuntimeError`` with
    ffmpeg's last message when the video cannot be decoded."""
    frame, audio = os.path.join(out, 'frames', vid + '.jpg'), os.path.join(out, 'audio', vid + '.wav')
    t = frame_time
    if t is None:
        try:
            t = probe(video).duration / 2                       # the ffmpeg report avzoo localize reads
        except MediaError as exc:
            raise RuntimeError(f'no duration ({exc})') from None
    for target, args in ((frame, ['-ss', f'{t:.3f}', '-i', video, '-frames:v', '1', '-q:v', '2']),
                         (audio, ['-i', video, '-vn', '-ac', '1', '-ar', str(sample_rate), '-c:a', 'pcm_s16le'])):
        tmp = target + '.partial' + os.path.splitext(target)[1]
        run = subprocess.run([exe, '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', *args, tmp],
                             capture_output=True, text=True)
        if run.returncode != 0 or not os.path.isfile(tmp) or os.path.getsize(tmp) == 0:
            if os.path.exists(tmp):
                os.remove(tmp)
            last = (run.stderr.strip().splitlines() or ['no output'])[-1]
            raise RuntimeError(f'{os.path.basename(target)}: {last}')
        os.replace(tmp, target)


def prepare(dataset: str, videos: str, out: str, ids: Optional[Sequence[str]] = None, workers: int = 4,
            sample_rate: int = 16000, frame_time: Optional[float] = -1.0, progress=None) -> PrepareReport:
    """Prepare ``dataset`` (a preset name, or a list file with ``ids``) from ``videos`` into ``out``."""
    if not os.path.isdir(videos):
        raise AvzooError(f'videos folder not found: {videos}')
    spec = PRESETS.get(dataset)
    if spec is None and ids is None:
        raise AvzooError(f"unknown dataset {dataset!r}; presets: {', '.join(sorted(PRESETS))} (or pass --ids FILE)")
    ids = list(ids) if ids is not None else ids_for(spec.ids_from)
    t_frame = (spec.frame_time if spec else None) if frame_time == -1.0 else frame_time
    exe = ffmpeg_exe()
    for sub in ('frames', 'audio'):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    report, todo = PrepareReport(), []
    for vid in ids:
        if all(os.path.isfile(os.path.join(out, sub, vid + ext)) for sub, ext in (('frames', '.jpg'), ('audio', '.wav'))):
            report.skipped_existing += 1
            continue
        video = find_video(videos, vid)
        if video is None:
            report.missing.append(vid)
        else:
            todo.append((vid, video))
    task = progress.add_task(f'prepare {dataset}', total=len(todo)) if progress is not None else None

    def work(item):
        vid, video = item
        try:
            prepare_one(exe, video, vid, out, t_frame, sample_rate)
            return vid, None
        except RuntimeError as exc:
            return vid, str(exc)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for vid, err in pool.map(work, todo):
            if err is None:
                report.done += 1
            else:
                report.corrupt[vid] = err
            if task is not None:
                progress.advance(task)
    tmp = os.path.join(out, 'prepare_report.json.partial')
    with open(tmp, 'w') as f:
        json.dump(dict(dataset=dataset, videos=videos, **report.as_dict()), f, indent=1)
    os.replace(tmp, os.path.join(out, 'prepare_report.json'))
    return report
