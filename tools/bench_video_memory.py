"""Peak memory of ``avzoo localize VIDEO`` does not grow with the video: a 1-minute and a
10-minute generated video (ffmpeg's testsrc2 picture, a sine that changes pitch), each mapped in a
fresh process, side by side. Prints each run's peak RSS (the child's ru_maxrss), frames and
frames/s, and the ratio of the two peaks.

    python tools/bench_video_memory.py [--minutes 1 10] [--run centre_prior] [--synth] [--fps 8]

The overlay video and the raw maps (--maps) are both written, as a user would ask for them.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

from avzoo.utils.ffmpeg import ffmpeg_exe


def make_video(path: str, minutes: float) -> None:
    seconds = int(minutes * 60)
    subprocess.run([ffmpeg_exe(), '-v', 'error', '-y', '-f', 'lavfi', '-i', f'testsrc2=size=320x240:rate=25:duration={seconds}',
                    '-f', 'lavfi', '-i', f'sine=frequency=440:beep_factor=3:sample_rate=44100:duration={seconds}',
                    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path], check=True)


def localize(video: str, runs, synth: bool, fps: float, out_dir: str):
    """One ``avzoo localize`` in its own process -> (peak RSS in MiB, seconds)."""
    cmd = [sys.executable, '-m', 'avzoo', 'localize', video, '--fps', str(fps), '--out', os.path.join(out_dir, 'o.mp4'),
           '--maps', os.path.join(out_dir, 'm.npz')] + [a for r in runs for a in ('--run', r)] + (['--synth'] if synth else [])
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f'localize failed on {video}: {out}')
    return usage.ru_maxrss / 1024, time.time() - t0, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--minutes', type=float, nargs='+', default=[1, 10])
    parser.add_argument('--run', action='append', default=None, help='METHOD[=CHECKPOINT] (default centre_prior)')
    parser.add_argument('--synth', action='store_true', help="the runs' synth configs")
    parser.add_argument('--fps', type=float, default=8.0)
    args = parser.parse_args()
    runs = args.run or ['centre_prior']
    print(f'machine: {platform.node()}, {os.cpu_count()} cores; runs: {runs}, {args.fps:g} fps')
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            video = os.path.join(tmp, f'{minutes:g}min.mp4')
            make_video(video, minutes)
            rss, seconds, line = localize(video, runs, args.synth, args.fps, tmp)
            peaks.append(rss)
            print(f'{minutes:g}-minute video: peak RSS {rss:.0f} MiB, {seconds:.0f} s wall; {line}')
    if len(peaks) > 1:
        print(f'peak RSS ratio, {args.minutes[-1]:g} min / {args.minutes[0]:g} min: {peaks[-1] / peaks[0]:.2f}')


if __name__ == '__main__':
    main()
