"""`avzoo serve` in a real browser: Debian's headless Chromium, driven by Playwright, uploads a
frame and a sound, runs, and the screenshot of the result is checked; a file over the page's 2-MB
limit and a file that is not a sound are refused on the page; a video gives an overlay video; the
page asks nothing of any host but its own."""
import io
import os
import shutil
import socket

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from avzoo.apis.runs import load_runs
from avzoo.datasets.video import write_video

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
# Chromium on a closed network, as root, with a fresh profile (docs: the machine's notes on browser tests)
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync']
if CHROMIUM is None and os.environ.get('AVZOO_REQUIRE_BROWSER'):
    raise RuntimeError("AVZOO_REQUIRE_BROWSER is set and there is no chromium: apt-get install chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="the page test drives Debian's chromium: apt-get install chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def media(tiny_synth, tmp_path_factory):
    folder = tmp_path_factory.mktemp('upload')
    interactive = os.path.join(tiny_synth, 'test_interactive')
    frame = sorted(os.listdir(os.path.join(interactive, 'visual_frames')))[0]
    shutil.copy(os.path.join(interactive, 'visual_frames', frame), folder / 'frame.jpg')
    sound = os.path.join(interactive, 'audio_wav', frame.replace('.jpg', '.wav'))
    shutil.copy(sound, folder / 'sound.wav')
    noise = np.random.default_rng(0).integers(0, 255, (1000, 1000, 3), dtype=np.uint8)
    Image.fromarray(noise).save(folder / 'big.png')                          # 3.0 MB: over the page's 2 MB
    (folder / 'notes.wav').write_text('not a sound\n')
    audio = sf.read(sound, dtype='float32')[0]
    image = np.asarray(Image.open(folder / 'frame.jpg').convert('RGB'))
    write_video(str(folder / 'clip.mp4'), np.repeat(image[None], 20, 0), 10, audio, 8000)
    return folder


@pytest.fixture(scope='module')
def page(media):
    from playwright.sync_api import sync_playwright

    from avzoo.web.app import serve
    port = free_port()
    app = serve(load_runs(['centre_prior'], 'synth'), port=port, max_mb=2, work_dir=str(media), block=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={'width': 1280, 'height': 1400})
        tab.outside = []
        tab.on('request', lambda r: tab.outside.append(r.url)
               if not r.url.startswith((f'http://127.0.0.1:{port}', 'data:', 'blob:')) else None)
        tab.goto(f'http://127.0.0.1:{port}/', wait_until='networkidle')
        yield tab
        browser.close()
    app.close()


def toast_text(tab, fragment: str) -> str:
    try:
        tab.get_by_text(fragment, exact=False).first.wait_for(timeout=20_000)
    except Exception:
        tab.screenshot(path="/tmp/pw/fail.png")
        raise AssertionError(tab.inner_text("body"))
    return tab.inner_text('body')


def test_upload_run_and_a_result_that_is_not_blank(page, media):
    page.locator('#frame-input input[type=file]').set_input_files(str(media / 'frame.jpg'))
    page.locator('#sound-input input[type=file]').set_input_files(str(media / 'sound.wav'))
    page.locator('#sound-input audio, #sound-input canvas, #sound-input [data-testid="waveform-Sound"]').first.wait_for(
        state='attached', timeout=20_000)
    page.click('#image-run')
    result = page.locator('#image-result img')
    result.wait_for(timeout=60_000)
    page.wait_for_function("document.querySelector('#image-result img').complete")
    page.screenshot(path=str(media / 'page.png'), full_page=True)
    shot = np.asarray(Image.open(io.BytesIO(result.screenshot())).convert('RGB')).astype(int)
    assert shot.shape[0] > 150 and shot.shape[1] > 300 and shot.std() > 20, shot.shape
    red = (shot[..., 0] > 200) & (shot[..., 1] < 80) & (shot[..., 2] < 80)      # the jet scale's hot end
    blue = (shot[..., 2] > 150) & (shot[..., 0] < 80)                           # and its cold end
    assert red.sum() > 100 and blue.sum() > 100
    peaks = page.inner_text('#image-peaks')
    assert all(f'Floor: centre\t{k}' in peaks for k in ('sound', 'silence', 'noise')), peaks
    assert page.outside == []


def test_upload_over_the_limit_and_not_a_sound_are_refused_on_the_page(page, media):
    assert os.path.getsize(media / 'big.png') > 2 * 2 ** 20
    page.locator('#frame-input button[aria-label="Remove Image"]').first.click()
    page.locator('#frame-input input[type=file]').set_input_files(str(media / 'big.png'))
    assert 'exceed the maximum allowed size of 2.0 Mb: "big.png"' in toast_text(page, 'maximum allowed size')
    page.locator('#frame-input input[type=file]').set_input_files(str(media / 'frame.jpg'))
    page.locator('#sound-input button[aria-label="Clear"]').first.click()
    page.locator('#sound-input input[type=file]').set_input_files(str(media / 'notes.wav'))
    page.click('#image-run')
    assert 'not a sound this page can read' in toast_text(page, 'not a sound this page can read')
    assert str(media) not in page.inner_text('body')             # the message names the file, not the server's folder


def test_a_video_gives_an_overlay_video(page, media):
    page.get_by_role('tab', name='Video').click()
    page.locator('#video-input input[type=file]').set_input_files(str(media / 'clip.mp4'))
    page.locator('#video-input video').wait_for(timeout=20_000)
    page.click('#video-run')
    page.locator('#video-result video').wait_for(timeout=60_000)
    assert '16 frames at 8 fps (2.0 s)' in page.inner_text('#video-info')
    assert page.outside == []

