"""`avzoo localize VIDEO` on generated videos: an interactive avzoo-synth image held still while
the sound moves from one of its sounding objects to the other. The overlay video keeps the frame
count, the duration and the sound; the raw maps follow the source for a trained checkpoint and
not for the centre floor; bad files end in one error line."""
import os

import imageio_ffmpeg
import numpy as np
import pytest
import torch

from avzoo.apis.runs import load_runs
from avzoo.apis.video import localize_sequence, localize_video
from avzoo.cli import app
from avzoo.datasets.base import AudioWindow
from avzoo.datasets.synth.video import interactive_groups, moving_sound_video
from avzoo.datasets.video import AudioStream, WaveformAudio, probe, write_video
from avzoo.utils.errors import AvzooError
from avzoo.visualization.video import BAND, BAR
from tests.utils import random_weights, run, runner

FPS = 8
EZVSL = 'ezvsl_small_1xb32-5e_synth'
DEMO_CHECKPOINT = os.path.join(os.path.dirname(__file__), 'demo_alignment_synth.safetensors')


@pytest.fixture(scope='module')
def two_sources(tiny_synth, tmp_path_factory):
    name = interactive_groups(tiny_synth)[0]
    path, boxes, _ = moving_sound_video(tiny_synth, name, str(tmp_path_factory.mktemp('video') / 'two_sources.mp4'))
    return dict(path=path, boxes=boxes)


def n_video_frames(path: str) -> int:
    return imageio_ffmpeg.count_frames_and_secs(path)[0]


def test_overlay_video_keeps_frames_duration_and_sound(two_sources, tmp_path):
    out, maps = str(tmp_path / 'overlay.mp4'), str(tmp_path / 'maps.npz')
    code, text = run('localize', two_sources['path'], '--run', 'centre_prior', '--synth', '--out', out, '--maps', maps)
    assert code == 0, text
    info = probe(out)
    assert info.audio_codec == 'aac' and abs(info.duration - 4.0) < 0.1, info
    assert n_video_frames(out) == 4 * FPS                      # the default 8 fps
    assert (info.width, info.height) == (224 + BAR, 224 + BAND)
    saved = np.load(maps)
    assert np.allclose(saved['times'], np.arange(32) / FPS) and saved['raw_0'].shape[0] == 32
    assert list(saved['names']) == ['Floor: centre'] and saved['peak_0'].shape == (32,)
    assert f'{out} and {maps}: 32 frames at 8 fps' in text


def peak_positions(raw: np.ndarray) -> np.ndarray:
    """Raw maps ``[N, h, w]`` -> each peak's centre in 224-pixel frame coordinates ``[N, 2]`` (x, y)."""
    n, h, w = raw.shape
    idx = raw.reshape(n, -1).argmax(1)
    return np.stack([(idx % w + 0.5) * 224 / w, (idx // w + 0.5) * 224 / h], 1)


def nearer(points: np.ndarray, own, other) -> np.ndarray:
    """Whether each point is nearer the centre of box ``own`` than the centre of box ``other``."""
    centre = lambda b: np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])   # noqa: E731
    return np.linalg.norm(points - centre(own), axis=1) < np.linalg.norm(points - centre(other), axis=1)


def test_peak_follows_the_sounding_object_for_the_demo_checkpoint_not_for_the_centre_floor(tiny_synth, tmp_path):
    """Every interactive image of the tiny set (12), its two sounds in turn: in the frames whose 1 s
    window holds one object's sound only, the trained map's peak is nearer that object than the
    other in >= 80 % of frames, for both halves; the centre floor's peak never moves."""
    runs = load_runs([f'alignment={DEMO_CHECKPOINT}', 'centre_prior'], 'synth')
    follows = {}
    for name in interactive_groups(tiny_synth):
        video, (a, b), change = moving_sound_video(tiny_synth, name, str(tmp_path / f'{name}.mp4'))
        localize_video(video, runs, maps=str(tmp_path / f'{name}.npz'), progress=False)
        saved = np.load(tmp_path / f'{name}.npz')
        first, second = saved['times'] + 0.5 < change, saved['times'] - 0.5 >= change
        follows[name] = []
        for key in ('raw_0', 'raw_1'):
            peaks = peak_positions(saved[key])
            follows[name].append(nearer(peaks[first], a, b).mean() >= 0.8 and nearer(peaks[second], b, a).mean() >= 0.8)
        assert len(np.unique(peak_positions(saved['raw_1']), axis=0)) == 1
    assert len(follows) == 12
    assert sum(t for t, _ in follows.values()) >= 11, follows       # 12 of 12 on 2026-12-07
    assert not any(f for _, f in follows.values()), follows


def test_two_runs_side_by_side(two_sources, tmp_path):
    out = str(tmp_path / 'both.mp4')
    code, text = run('localize', two_sources['path'], '--run', 'centre_prior', '--run', 'ezvsl=' + random_weights(EZVSL, tmp_path / 'ezvsl.pth'),
                     '--synth', '--out', out, '--duration', '1')
    assert code == 0, text
    assert probe(out).width == 2 * 224 + BAR and n_video_frames(out) == FPS
    frames = imageio_ffmpeg.read_frames(out)
    next(frames)
    frame = np.frombuffer(next(frames), np.uint8).reshape(224 + BAND, 2 * 224 + BAR, 3)
    for col in range(2):
        band, body = frame[:BAND, col * 224:(col + 1) * 224], frame[BAND:, col * 224:(col + 1) * 224]
        assert (band > 200).any(axis=-1).sum() > 30, f'column {col} has no title'
        assert body.std() > 10, f'column {col} is blank'
    assert np.abs(frame[BAND:, :224].astype(int) - frame[BAND:, 224:448]).mean() > 3   # two different maps


def test_containers_variable_rate_and_a_time_range(tmp_path):
    """mkv, webm and a variable-frame-rate mp4 (every third frame of 10 fps kept, as phones write):
    --start/--duration give the frames of that range, at the asked rate, with their times."""
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 255, (40, 48, 64, 3), dtype=np.uint8)
    sound = (0.1 * rng.standard_normal(32000)).astype(np.float32)
    for name in ('a.mkv', 'a.webm'):
        write_video(str(tmp_path / name), frames, 10, sound)
    import subprocess

    from avzoo.utils.ffmpeg import ffmpeg_exe
    subprocess.run([ffmpeg_exe(), '-v', 'error', '-y', '-i', str(tmp_path / 'a.mkv'), '-vf', r"select='not(mod(n\,3))'",
                    '-fps_mode', 'vfr', '-c:a', 'aac', str(tmp_path / 'vfr.mp4')], check=True)
    for name in ('a.mkv', 'a.webm', 'vfr.mp4'):
        maps = str(tmp_path / (name + '.npz'))
        code, text = run('localize', str(tmp_path / name), '--run', 'centre_prior', '--synth', '--maps', maps,
                         '--start', '1', '--duration', '2', '--fps', '5')
        assert code == 0, (name, text)
        saved = np.load(maps)
        assert np.allclose(saved['times'], 1 + np.arange(10) / 5), (name, saved['times'])
        assert not os.path.exists(str(tmp_path / f'{name}_centre_prior.mp4'))   # --maps alone: no video


def test_bad_videos_end_in_one_error_line(two_sources, tmp_path):
    write_video(str(tmp_path / 'silent.mp4'), np.zeros((10, 32, 32, 3), np.uint8), 10)
    (tmp_path / 'notes.mp4').write_text('not a video\n')
    (tmp_path / 'corrupt.mp4').write_bytes(open(two_sources['path'], 'rb').read()[:3000])
    for name, fragment in (('silent.mp4', 'has no audio track'), ('notes.mp4', 'not a readable video'),
                           ('corrupt.mp4', 'not a readable video'), ('absent.mp4', 'missing video')):
        result = runner.invoke(app, ['localize', str(tmp_path / name), '--run', 'centre_prior', '--synth'])
        code, text = result.exit_code, result.output               # stdout and stderr as a terminal shows them
        lines = [line for line in text.strip().splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith('error:') and fragment in text, (name, text)
        assert not any(p.name.endswith('.mp4') and 'centre_prior' in p.name for p in tmp_path.iterdir())
    code, text = run('localize', two_sources['path'], '--run', 'ezvsl', '--synth')
    assert code == 2 and 'give its weights' in text
    code, text = run('localize', str(tmp_path / 'frame.jpg'), '--run', 'centre_prior', '--synth')
    assert code == 2 and 'is an image: give its sound too' in text


def test_streamed_windows_equal_the_windows_of_the_sound_in_memory(tmp_path, monkeypatch):
    """The stream reads in small chunks and drops what is behind; every window is the one cut from
    the whole sound (PCM in mkv: lossless), moved inside the sound at both ends."""
    rng = np.random.default_rng(1)
    sound = (0.2 * rng.standard_normal(8000 * 3)).astype(np.float32)
    path = write_video(str(tmp_path / 'pcm.mkv'), np.zeros((30, 16, 16, 3), np.uint8), 10, sound, 8000,
                       audio_codec='pcm_f32le')
    monkeypatch.setattr(AudioStream, 'CHUNK_SECONDS', 0.1)
    window = AudioWindow(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0)
    stream, memory = AudioStream(path, 8000), WaveformAudio(torch.from_numpy(sound), 8000)
    for t in np.arange(0, 3.0, 0.125):
        cut, short = stream.window_at(t, window)
        assert not short and torch.equal(cut, memory.window_at(t, window)[0]), t
        start = min(max(int(round(t * 8000)) - 4000, 0), 24000 - 8000)
        assert torch.equal(cut, torch.from_numpy(sound[start:start + 8000]))
        stream.release(t - 1.0, 8000)
        assert stream.buffer.numel() <= 8000 + 8000 + 800     # bounded: a window behind, one ahead, a chunk
    stream.close()
    short_cut, short = WaveformAudio(torch.arange(3000.0), 8000).window_at(0.1, window)
    assert short and torch.equal(short_cut, window.crop(torch.arange(3000.0)))   # as the release fills a short clip


def test_runs_that_share_a_sound_stream_each_hear_every_frame_s_own_window(tmp_path):
    """Two runs at one sample rate read one stream: the second must hear the same windows as the
    first (same weights under two file names give the same maps, frame by frame)."""
    weights = random_weights(EZVSL, tmp_path / 'ezvsl.pth')
    os.link(weights, tmp_path / 'copy.pth')
    runs = load_runs([f'ezvsl={weights}', f'ezvsl={tmp_path / "copy.pth"}'], 'synth')
    frames = np.random.default_rng(0).integers(0, 255, (20, 48, 48, 3), dtype=np.uint8)
    chirp = np.sin(2 * np.pi * np.cumsum(np.linspace(100, 3000, 8000 * 3)) / 8000).astype(np.float32)
    seq = localize_sequence(runs, frames, chirp, 8000, fps=8, batch_size=8)
    a, b = (seq.raw[r.name] for r in runs)
    assert np.array_equal(a, b) and not np.allclose(a[0], a[-1])


def test_frames_and_waveform_in_memory():
    """The Python API without files: frames [N, H, W, 3] + a waveform at another rate (resampled)."""
    runs = load_runs(['centre_prior'], 'synth')
    frames = np.random.default_rng(0).integers(0, 255, (5, 40, 60, 3), dtype=np.uint8)
    seq = localize_sequence(runs, frames, np.zeros(16000 * 2, np.float32), 16000, fps=4, start=0.5)
    name = runs[0].name
    assert np.allclose(seq.times, 0.5 + np.arange(5) / 4)
    assert seq.raw[name].shape == (5, 8, 8) and seq.heat[name].shape == (5, 224, 224) and seq.short == []
    with pytest.raises(AvzooError, match='expected mono samples'):            # stereo is not read as one long channel
        localize_sequence(runs, frames, np.zeros((2, 16000), np.float32), 16000, fps=4)
