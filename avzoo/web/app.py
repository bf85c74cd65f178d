"""``avzoo serve``: a local page (Gradio, ``pip install 'avzoo[web]'``) to try runs on one's own
media: a frame and a sound (with the negative-audio view: silence, noise, another sound) or a
video (the overlay video of ``avzoo localize VIDEO``), the chosen runs side by side.

It runs on the CPU, binds to 127.0.0.1 unless told otherwise, never fetches anything (no share
link, no analytics, system fonts), and refuses uploads over ``max_mb`` and files that are not the
media asked for, with a message on the page."""
from __future__ import annotations

import os
import tempfile
from typing import List, Optional, Sequence

from avzoo.apis.runs import Run
from avzoo.datasets.media import MediaError, load_audio, load_frame
from avzoo.utils.errors import AvzooError

# Gradio reads these when imported: no usage reports, no version check against PyPI.
OFFLINE_ENV = {'GRADIO_ANALYTICS_ENABLED': 'False', 'GRADIO_TELEMETRY_ENABLED': 'False', 'HF_HUB_OFFLINE': '1'}
SYSTEM_FONTS = ['ui-sans-serif', 'system-ui', 'sans-serif']
MONO_FONTS = ['ui-monospace', 'monospace']


def import_gradio():
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    try:
        import gradio as gr
    except ImportError:
        raise AvzooError("avzoo serve needs Gradio: pip install 'avzoo[web]'") from None
    return gr


def check_media(path: Optional[str], kind: str, max_mb: float) -> None:
    """An uploaded file that is too large or not a ``kind`` (image / sound / video) raises a
    message for the page (``gr.Error``)."""
    gr = import_gradio()
    article = 'an' if kind[0] in 'aeiou' else 'a'
    if path is None:
        raise gr.Error(f'upload {article} {kind} first', print_exception=False)
    size = os.path.getsize(path) / 2 ** 20
    if size > max_mb:
        raise gr.Error(f'{os.path.basename(path)} is {size:.1f} MB: this page takes files up to {max_mb:g} MB',
                       print_exception=False)
    try:
        if kind == 'image':
            load_frame(path)
        elif kind == 'sound':
            load_audio(path, 16000, 1.0)
        else:
            from avzoo.datasets.video import probe
            if probe(path).audio_codec is None:
                raise MediaError(f'{os.path.basename(path)} has no audio track: a sound source needs a sound')
    except MediaError as exc:
        why = str(exc).replace(path, os.path.basename(path))      # the upload's name, not the server's folder
        raise gr.Error(f'not {article} {kind} this page can read: {why}', print_exception=False) from None


def new_file(folder: str, suffix: str) -> str:
    """A new empty file's path in ``folder`` (created, so two requests never share a name)."""
    fd, path = tempfile.mkstemp(suffix=suffix, dir=folder)
    os.close(fd)
    return path


def build_app(runs: Sequence[Run], max_mb: float = 50.0, work_dir: Optional[str] = None):
    """The page (a ``gr.Blocks``); ``work_dir`` holds the figures and videos it makes."""
    gr = import_gradio()
    from avzoo.apis.video import localize_video
    from avzoo.web.negatives import SoundCase, negatives_figure
    work = work_dir or tempfile.mkdtemp(prefix='avzoo-serve-')
    names = [r.name for r in runs]
    by_name = {r.name: r for r in runs}

    def chosen(selected: List[str]) -> List[Run]:
        if not selected:
            raise gr.Error('choose at least one method', print_exception=False)
        return [by_name[n] for n in selected]

    def image_view(image, sound, other, selected):
        check_media(image, 'image', max_mb)
        check_media(sound, 'sound', max_mb)
        cases = [SoundCase('sound', sound), SoundCase('silence'), SoundCase('noise')]
        if other is not None:
            check_media(other, 'sound', max_mb)
            cases.append(SoundCase('another sound', other))
        path = new_file(work, '.png')
        try:
            lines = negatives_figure(chosen(selected), image, cases, path)
        except AvzooError as exc:                # a checkpoint whose maps are not finite, say
            raise gr.Error(str(exc), print_exception=False) from None
        table = '| method | sound | peak (cos+1)/2 |\n|---|---|---:|\n' + '\n'.join(f'| {line} |' for line in lines)
        return path, table

    def video_view(video, selected, fps, seconds):
        check_media(video, 'video', max_mb)
        out = new_file(work, '.mp4')
        try:
            result = localize_video(video, chosen(selected), out, fps=fps, duration=seconds, height=240,
                                    progress=False)
        except AvzooError as exc:
            raise gr.Error(str(exc).replace(video, os.path.basename(video)), print_exception=False) from None
        return out, (f'{result.n_frames} frames at {result.fps:g} fps ({result.seconds:.1f} s), '
                     f'{result.frames_per_second:.1f} frames/s on this machine')

    with gr.Blocks(title='avzoo: where does the sound come from?', analytics_enabled=False) as app:
        gr.Markdown('# Where does the sound come from?\nUpload a frame and a sound, or a video with its sound. '
                    f'Methods on this page: {", ".join(names)}. Everything runs on this machine; '
                    f'files up to {max_mb:g} MB.')
        pick = gr.CheckboxGroup(names, value=names, label='Methods to compare (a row each in the frame view, a column each in the video)')
        with gr.Tab('Frame + sound'):
            with gr.Row():
                image = gr.Image(type='filepath', label='Frame', elem_id='frame-input')
                sound = gr.Audio(type='filepath', label='Sound', elem_id='sound-input')
                other = gr.Audio(type='filepath', label='Another sound (optional)', elem_id='other-input')
            go = gr.Button('Localise', variant='primary', elem_id='image-run')
            figure = gr.Image(label='Maps: the sound, silence, noise (and another sound)', elem_id='image-result')
            peaks = gr.Markdown(elem_id='image-peaks')
            go.click(image_view, [image, sound, other, pick], [figure, peaks])
        with gr.Tab('Video'):
            video = gr.Video(label='Video with sound', sources=['upload'], format=None, elem_id='video-input')
            with gr.Row():
                fps = gr.Slider(1, 25, value=8, step=1, label='Frames per second')
                seconds = gr.Slider(1, 60, value=10, step=1, label='Seconds to map (from the start)')
            go_video = gr.Button('Localise through the video', variant='primary', elem_id='video-run')
            result = gr.Video(label='Overlay video', format=None, elem_id='video-result')
            info = gr.Markdown(elem_id='video-info')
            go_video.click(video_view, [video, pick, fps, seconds], [result, info])
    return app


def serve(runs: Sequence[Run], host: str = '127.0.0.1', port: int = 7860, max_mb: float = 50.0,
          work_dir: Optional[str] = None, block: bool = True):
    """Start the page; returns the app (``block=False``: the server runs in a thread; ``app.close()``)."""
    app = build_app(runs, max_mb, work_dir)
    app.queue(default_concurrency_limit=1)
    gr = import_gradio()
    theme = gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)   # no web fonts to fetch
    app.launch(theme=theme, server_name=host, server_port=port, share=False, max_file_size=f'{max_mb:g}mb', prevent_thread_lock=not block,
               show_error=True, inbrowser=False, ssr_mode=False, pwa=False, mcp_server=False, quiet=True)
    return app
