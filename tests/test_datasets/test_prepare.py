"""`avzoo prepare`: real videos (made with ffmpeg here) -> frames/ + audio/ that the loaders read;
missing and corrupt videos are reported, and a second run resumes."""
from __future__ import annotations

import json
import os
import subprocess

import soundfile as sf

from avzoo.datasets.annotated import VGGSSDataset
from avzoo.datasets.prepare import prepare
from avzoo.utils.ffmpeg import ffmpeg_exe


def _video(path: str, seconds: float = 2.0) -> None:
    subprocess.run([ffmpeg_exe(), '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', f'testsrc=size=96x64:rate=10:duration={seconds}',
                    '-f', 'lavfi', '-i', f'sine=frequency=440:sample_rate=22050:duration={seconds}',
                    '-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', path], check=True, capture_output=True)


def test_prepare_writes_the_loader_layout_reports_and_resumes(tmp_path):
    videos, out = tmp_path / 'videos', str(tmp_path / 'vggss')
    videos.mkdir()
    _video(str(videos / 'aaa_000010.mp4'))
    _video(str(videos / 'bbb_000020.mp4'))
    (videos / 'ccc_000030.mp4').write_bytes(b'not a video at all')
    ids = ['aaa_000010', 'bbb_000020', 'ccc_000030', 'ddd_000040']
    report = prepare('mini', str(videos), out, ids=ids, workers=2, sample_rate=8000, frame_time=1.0)
    assert report.done == 2 and report.missing == ['ddd_000040'] and list(report.corrupt) == ['ccc_000030']
    audio, sr = sf.read(os.path.join(out, 'audio', 'aaa_000010.wav'))
    assert sr == 8000 and audio.ndim == 1 and abs(len(audio) / sr - 2.0) < 0.1
    with open(os.path.join(out, 'prepare_report.json')) as f:
        assert json.load(f)['n_corrupt'] == 1
    assert not [f for f in os.listdir(os.path.join(out, 'frames')) if 'partial' in f]
    # the loaders read what prepare wrote
    with open(os.path.join(out, 'mini.json'), 'w') as f:
        json.dump([dict(file=i, bbox=[[0.1, 0.1, 0.5, 0.5]]) for i in ids[:2]], f)
    ds = VGGSSDataset(out, ann_file='mini.json', image_size=32,
                      audio=dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0))
    assert len(ds) == 2 and ds[0]['inputs']['image'].shape == (3, 32, 32)
    again = prepare('mini', str(videos), out, ids=ids, workers=2, sample_rate=8000, frame_time=1.0)
    assert again.skipped_existing == 2 and again.done == 0
