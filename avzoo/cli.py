"""The ``avzoo`` command line (typer). User mistakes print one ``error:`` line and exit 2."""
from __future__ import annotations

import functools
import json
import os
import sys
import textwrap
from typing import List, Optional

import typer

from avzoo.utils.terminal import make_console, make_progress, print_error

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help='avzoo: train, evaluate and compare sound source localisation methods.')
console = make_console()          # results (stdout); logs, progress and errors go to stderr
OPTIONS_HELP = 'Override config keys: --cfg-options a.b=1 c=2 (keys must exist).'
DATA_ROOT_HELP = ("DIR: move the config's main data root; NAME=DIR: move the root NAME (data_root, vggss_root, "
                  'flickr_root, synth_root, weights_root) and every path under it. Repeatable.')
BENCH_ROOT_HELP = ("DIR: the benchmark's media folder; NAME=DIR: a root of the method's config (vggss_root, "
                   'flickr_root, synth_root, weights_root); the benchmark\'s own root also moves the benchmark. Repeatable.')
SYNTH_ROOT_HELP = 'Where avzoo-synth is (or goes): DIR or synth_root=DIR (default data/avzoo-synth).'
SYNTH_SIZE_HELP = 'avzoo-synth size: tiny | small | default | large (generated when absent).'
SYNTH_FORCE_HELP = 'Regenerate the avzoo-synth folder when it holds another size (never done without it).'
EXTRA = dict(allow_extra_args=True, ignore_unknown_options=True)


def _choices() -> dict:
    """The choices the help names, generated from the method folders' metafiles and the registries
    (a new method, layout, encoder or benchmark appears here with no edit of this file)."""
    from avzoo.embed import ENCODERS
    from avzoo.registry import BENCHMARKS
    from avzoo.utils.errors import AvzooError
    from avzoo.zoo import aliases, layout_entries, methods
    try:
        names = list(methods()) + [f'{a} (= {m})' for a, m in aliases().items()]
        layouts = [f'{n}' + ''.join(f' (alias {a})' for a in e.get('aliases') or ()) for n, e in layout_entries().items()]
    except AvzooError as exc:            # a broken metafile must not break --help
        names = layouts = [f'unreadable zoo: {exc}']
    return dict(methods=', '.join(names), layouts=', '.join(layouts),
                encoders=' | '.join(sorted(ENCODERS) + ['checkpoint (an avzoo model: --config)']),
                benches=', '.join(sorted(BENCHMARKS.module_dict)))


CHOICES = _choices()
METHOD_HELP = f"A method: {CHOICES['methods']} (`avzoo list`)."
BENCH_HELP = f"A benchmark: {CHOICES['benches']} (`avzoo list`)."


def all_options(cfg_options: List[str], ctx: typer.Context) -> List[str]:
    """``--cfg-options a=1 b=2``: typer binds ``a=1``; the following ``KEY=VALUE`` words arrive as
    extra arguments and are options too; any other extra word is a mistake."""
    from avzoo.utils.errors import AvzooError
    stray = [a for a in ctx.args if '=' not in a]
    if stray:
        raise AvzooError(f'unexpected argument(s) {stray}; config overrides are KEY=VALUE')
    return list(cfg_options) + list(ctx.args)


def user_errors(fn):
    """Run a command; an :class:`AvzooError` becomes ``error: <message>`` and exit code 2."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from avzoo.utils.errors import AvzooError
        try:
            return fn(*args, **kwargs)
        except AvzooError as exc:
            print_error(str(exc))
            raise typer.Exit(2)
    return wrapper


def _show_version(value: bool) -> None:
    if value:
        from avzoo.version import __version__
        print(f'avzoo {__version__}')
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, '--version', callback=_show_version, is_eager=True,
                                          help="Print avzoo's version and exit.")) -> None:
    """avzoo: train, evaluate and compare sound source localisation methods."""


@app.command(context_settings=EXTRA)
@user_errors
def train(ctx: typer.Context, config: str = typer.Argument(..., help='Config: a path, or a name of a shipped config (ours_sup_nn).'),
          work_dir: Optional[str] = typer.Option(None, help='Output folder (default work_dirs/<config>).'),
          data_root: List[str] = typer.Option([], help=DATA_ROOT_HELP),
          resume: bool = typer.Option(False, help='Resume from the last checkpoint in work_dir.'),
          epochs: Optional[int] = typer.Option(None, help='Train this many epochs (schedules follow).'),
          select_on_test: Optional[str] = typer.Option(None, help="Reproduce the releases' rule: validate on this "
                                                       'test benchmark and keep the best-cIoU checkpoint (every '
                                                       'result then says: selected on the test set).'),
          cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """Train a method from its config. avzoo keeps the last epoch and never validates on a test
    set unless --select-on-test names one (docs/protocol.md)."""
    from avzoo.engine.config import load_config, set_epochs
    from avzoo.workflows.train import train as run_train
    cfg = load_config(config, all_options(cfg_options, ctx), data_root=data_root, work_dir=work_dir)
    if epochs is not None:
        set_epochs(cfg, epochs)
    if select_on_test is not None:
        from avzoo.workflows.train import select_on_test as on_test
        on_test(cfg, select_on_test)
    cfg.resume = resume
    run_train(cfg)


@app.command('eval', context_settings=EXTRA)
@user_errors
def evaluate(ctx: typer.Context, config: Optional[str] = typer.Argument(None, help='Config file (or use --method).'),
             method: Optional[str] = typer.Option(None, help=METHOD_HELP),
             bench: str = typer.Option('synth_single', help=BENCH_HELP),
             checkpoint: Optional[str] = typer.Option(None, help='Weights (.pth or .safetensors) to score.'),
             data_root: List[str] = typer.Option([], help=BENCH_ROOT_HELP),
             out: Optional[str] = typer.Option(None, help='Results file (.json, with .md beside it) or folder '
                                                          '(default work_dirs/eval/<method>[_<checkpoint>]_<bench>.json).'),
             as_json: bool = typer.Option(False, '--json', help='Print one JSON object.'),
             strict: bool = typer.Option(False, help='Fail on missing/corrupt media instead of skipping.'),
             verbose: bool = typer.Option(False, help="Keep the runner's INFO log (config, hooks, progress)."),
             ogl: bool = typer.Option(False, '--ogl', help="Object-guided localisation post-processing (the config's `ogl`)."),
             negatives: bool = typer.Option(False, '--negatives', help='Also score each image with silence, noise and '
                                            'an off-screen sound (pIA, AOC, IoU(pos,neg), max/min distributions; '
                                            'writes a histogram figure).'),
             negative_seed: int = typer.Option(0, help='Seed of the noise and off-screen draws (--negatives).'),
             threshold: float = typer.Option(0.5, help='Universal threshold on the (cos+1)/2 maps (--negatives).'),
             cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """Score a method on a benchmark; prints the table and its protocol (test subset, scored and
    skipped, training list and its overlap with the test set, selection rule) and writes both as
    JSON and Markdown (--out). --json: the metrics, plus the "protocol" block."""
    from avzoo.protocol.provenance import protocol_line
    from avzoo.workflows.evaluate import evaluate_benchmark
    options = all_options(cfg_options, ctx)
    if config is not None and '=' in config and cfg_options and not os.path.exists(config):
        options.insert(1, config)     # `--cfg-options a=1 b=2` with no CONFIG: typer bound b=2 to CONFIG
        config = None
    neg = dict(seed=negative_seed, threshold=threshold) if negatives else None
    result = evaluate_benchmark(config, method, bench, checkpoint, data_root, out, options, strict, verbose, ogl, neg)
    if result is None:                             # under torchrun: rank 0 reports the gathered metrics
        return
    if as_json:
        print(json.dumps(dict(result.metrics, protocol=result.protocol)), flush=True)
    else:
        from avzoo.evaluation.tables import negatives_rich, results_rich
        console.print(results_rich({result.label: result.metrics}, title=f'{bench}' + (' (+OGL)' if ogl else '')))
        if negatives:
            console.print(negatives_rich(result.metrics, title=f'{bench}: negative audio' + (' (+OGL)' if ogl else '')))
        console.print('protocol: ' + protocol_line(result.protocol), highlight=False)
    written = result.write()                       # after printing: a failed write never loses the table
    if not as_json:
        console.print('written: ' + ', '.join(written))


@app.command()
@user_errors
def synth(out: str = typer.Option('data/avzoo-synth', help='Output folder.'),
          size: str = typer.Option('default', help='tiny | small | default | large'),
          seed: int = typer.Option(0), n_classes: int = typer.Option(16),
          workers: int = typer.Option(2),
          force: bool = typer.Option(False, help='Regenerate a folder that holds avzoo-synth (its caches go too).')) -> None:
    """Write the avzoo-synth benchmark in the real benchmarks' layouts (kept when already there)."""
    from avzoo.datasets.synth import SynthConfig, generate
    from avzoo.utils.errors import AvzooError
    cfg = SynthConfig.preset(size, seed=seed, n_classes=n_classes)
    try:
        with make_progress() as progress:
            meta = generate(out, cfg, workers=workers, force=force, progress=progress)
    except ValueError as exc:                  # e.g. more classes than the world defines
        raise AvzooError(str(exc)) from None
    console.print(f'avzoo-synth ({size}, seed {seed}) at {out}: {meta["counts"]}')


@app.command(context_settings=EXTRA)
@user_errors
def mine(ctx: typer.Context, config: str = typer.Argument(..., help='A config with a PositiveMiningHook.'),
         work_dir: Optional[str] = typer.Option(None, help='The work dir `avzoo train` will use (default '
                                                           'work_dirs/<config>): the neighbour file goes in its cache/.'),
         data_root: List[str] = typer.Option([], help=DATA_ROOT_HELP),
         cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """Compute (or refresh) the semantic-positive neighbour file of a config."""
    from avzoo.workflows.mine import mine_config
    cache, work = mine_config(config, all_options(cfg_options, ctx), data_root, work_dir, f'avzoo-mine-{id(ctx)}')
    console.print(f'neighbours: {cache} (read by `avzoo train {config} --work-dir {work}`)')


@app.command(context_settings=EXTRA)
@user_errors
def demo(ctx: typer.Context, data_root: List[str] = typer.Option([], help=SYNTH_ROOT_HELP),
         work_dir: str = typer.Option('work_dirs/demo', help='Checkpoints, figures, results.'),
         size: str = typer.Option('default', help=SYNTH_SIZE_HELP),
         force: bool = typer.Option(False, help=SYNTH_FORCE_HELP),
         epochs: Optional[int] = typer.Option(None, help='Override the training epochs.'),
         method: str = typer.Option('alignment', help='The trained method to compare (`avzoo list`).'),
         cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """Generate avzoo-synth, train the alignment method, compare with the floors, draw heatmaps."""
    from avzoo.engine.benchmark_config import synth_root
    from avzoo.workflows.demo import run_demo
    root = synth_root(data_root, 'demo')
    os.makedirs(work_dir, exist_ok=True)
    run_demo(root, work_dir, size, epochs, all_options(cfg_options, ctx), console, method, force=force)


@app.command()
@user_errors
def embed(ids: str = typer.Argument(..., help='Id list: a file (one id per line) or a shipped list (vggss_144k.txt).'),
          encoder: str = typer.Option(..., help=CHOICES['encoders']),
          weights: str = typer.Option(..., help='Local weights file of the encoder (never downloaded).'),
          data_root: str = typer.Option(..., help='Folder holding frames/{id}.jpg and audio/{id}.wav.'),
          out: str = typer.Option(..., help='Output folder: shards, meta.json, embeddings.npy, ids.txt.'),
          config: Optional[str] = typer.Option(None, help='With --encoder checkpoint: the avzoo config.'),
          modality: str = typer.Option('image', help='With --encoder checkpoint: image | audio.'),
          projected: bool = typer.Option(False, help='With --encoder checkpoint: projected embeddings.'),
          template: Optional[str] = typer.Option(None, help='File path per id under data_root (default by modality).'),
          batch_size: int = typer.Option(64), workers: int = typer.Option(0, help='DataLoader workers.'),
          shard_size: int = typer.Option(4096, help='Rows per shard (the unit a restarted run skips).')) -> None:
    """Embed a training list with a frozen pre-trained encoder (for positive mining), resumable."""
    from avzoo.datasets.annotations import annotation_path, read_id_list
    from avzoo.embed import embed_ids, encoder_config
    enc = encoder_config(encoder, config, modality, projected)
    path = ids if os.path.isfile(ids) else annotation_path(ids)
    id_list = read_id_list(path)
    final = embed_ids(enc, weights, data_root, id_list, out, id_list=os.path.basename(path), template=template,
                      batch_size=batch_size, num_workers=workers, shard_size=shard_size)
    console.print(f'embeddings: {final} ({len(id_list)} rows; ids in {os.path.join(out, "ids.txt")}, '
                  f'provenance in {os.path.join(out, "meta.json")})')


@app.command(context_settings=EXTRA)
@user_errors
def ablate(ctx: typer.Context, data_root: List[str] = typer.Option([], help=SYNTH_ROOT_HELP),
           work_dir: str = typer.Option('work_dirs/ablate', help='One folder per variant; finished ones are kept.'),
           size: str = typer.Option('default', help=SYNTH_SIZE_HELP),
           force: bool = typer.Option(False, help=SYNTH_FORCE_HELP),
           epochs: int = typer.Option(2, help='Training epochs of every variant (one budget for all).'),
           only: List[str] = typer.Option([], help='Run only these variants (repeatable).'),
           card: Optional[str] = typer.Option(None, help='Write the table into this model card (ablate block).'),
           cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """The alignment method's ablations (the paper's Tables VIII-XII) on avzoo-synth, as one table."""
    from avzoo.engine.benchmark_config import synth_root
    from avzoo.workflows.ablate import run_ablation
    root = synth_root(data_root, 'ablate')
    os.makedirs(work_dir, exist_ok=True)
    run_ablation(root, work_dir, epochs, only, all_options(cfg_options, ctx), card, console, size=size, force=force)


@app.command('list')
@user_errors
def list_all(as_json: bool = typer.Option(False, '--json', help='Print one JSON object: methods and benchmarks.')) -> None:
    """Registered methods (with their configs), benchmarks (domain, metric family) and miners."""
    from avzoo.workflows.listing import zoo_listing
    listing = zoo_listing()
    rows, benches = listing['methods'], listing['benchmarks']
    if as_json:
        print(json.dumps(listing))
        return
    from rich.table import Table
    table = Table(title='methods (configs under avzoo/configs)', title_justify='left')
    for col in ('method', 'what', 'synth config / real config'):
        table.add_column(col, overflow='fold')
    for r in rows:
        what = r['about'] + ('' if r['trained'] else ' (training-free)')
        table.add_row(r['name'], what, f'{r["synth_config"] or "-"}\n{r["real_config"] or "-"}')
    console.print(table)
    table = Table(title='benchmarks', title_justify='left')
    for col in ('benchmark', 'domain', 'family', 'protocol (origin)'):
        table.add_column(col, overflow='fold')
    for b in benches:
        table.add_row(b['name'], b['domain'], b['family'], b['protocol'] + (f" ({b['origin']})" if b['origin'] else ''))
    console.print(table)
    console.print('miners\n  ' + '  '.join(listing['miners']))
    console.print('feature sources\n  ' + '  '.join(listing['feature_sources']))


@app.command()
@user_errors
def audit(train: List[str] = typer.Option([], help='A training list (vggsound144k, vggsound144k_clean, ...); repeatable. Default: all shipped.'),
          bench: List[str] = typer.Option([], help='A benchmark of `avzoo list`; repeatable. Default: every real benchmark.'),
          as_json: bool = typer.Option(False, '--json', help='Print one JSON object: {"overlaps": [...], "lists": [...]}.')) -> None:
    """How many test samples of each benchmark are in each training list, by clip and by source video."""
    import avzoo  # noqa: F401
    from avzoo.datasets.train_lists import TRAIN_LISTS
    from avzoo.protocol.audit import audit as run_audit
    rows = run_audit(train, bench)
    lists = [dict(name=t.name, file=t.file, about=t.about, origin=t.origin) for t in TRAIN_LISTS.values()
             if t.name in {r['train'] for r in rows}]
    if as_json:
        print(json.dumps(dict(overlaps=rows, lists=lists, rule=AUDIT_RULE)))
        return
    from avzoo.protocol.tables import audit_rich
    console.print(audit_rich(rows))
    console.print('\n'.join(textwrap.wrap(AUDIT_RULE, 79)), highlight=False)


AUDIT_RULE = ('clips: test samples whose clip (video and start second) is in the training list; videos: test '
              'samples whose source video is (any start time); -: the names carry no start time / no source '
              'video (the reason is in --json); docs/protocol.md')


data_app = typer.Typer(no_args_is_help=True, help='Check a benchmark\'s media folder.')
app.add_typer(data_app, name='data')


@data_app.command('check')
@user_errors
def data_check(bench: str = typer.Argument(..., help=BENCH_HELP),
               data_root: str = typer.Option(..., help="The benchmark's media folder."),
               as_json: bool = typer.Option(False, '--json', help='Print one JSON object.')) -> None:
    """Which of a benchmark's clips are present, missing or undecodable, and which named subsets
    (and so which published rows) the present clips reproduce exactly."""
    import avzoo  # noqa: F401
    from avzoo.protocol.datacheck import check
    from avzoo.utils.errors import AvzooError
    if not os.path.isdir(data_root):
        raise AvzooError(f'--data-root {data_root}: no such folder')
    if as_json:
        print(json.dumps(check(bench, data_root)))
        return
    with make_progress() as progress:
        report = check(bench, data_root, progress)
    from avzoo.protocol.tables import data_check_rich
    console.print(data_check_rich(report))
    for kind in ('missing', 'undecodable'):
        first = list(report[kind])[:5]
        if first:
            console.print(f'{kind} (first {len(first)}): ' + ', '.join(first), highlight=False)


@app.command()
@user_errors
def prepare(dataset: str = typer.Argument(..., help='A preset (vggss, vggsound144k, flickr, ...) or a name for --ids.'),
            videos: str = typer.Option(..., help='Folder of the downloaded videos (<id>.mp4, .mkv, ...).'),
            out: str = typer.Option(..., help='Media root to write (frames/, audio/).'),
            ids: Optional[str] = typer.Option(None, help='An id list (one per line) instead of the preset.'),
            workers: int = typer.Option(4, help='Parallel ffmpeg processes.'),
            sample_rate: int = typer.Option(16000, help='Audio rate of the written wav files.'),
            frame_time: Optional[float] = typer.Option(None, help="Seconds of the frame (default: the preset's).")) -> None:
    """Turn downloaded videos into the layout the loaders read (resumable, parallel, with a report)."""
    from avzoo.datasets.annotations import read_id_list
    from avzoo.datasets.prepare import prepare as run_prepare
    with make_progress(transient=False) as progress:
        report = run_prepare(dataset, videos, out, read_id_list(ids) if ids else None, workers, sample_rate,
                             -1.0 if frame_time is None else frame_time, progress)
    console.print(f'{dataset}: {report.done} prepared, {report.skipped_existing} already there, '
                  f'{len(report.missing)} missing, {len(report.corrupt)} corrupt -> {out}/prepare_report.json')


@app.command()
@user_errors
def score(predictions: str = typer.Argument(..., help='.npz with heatmaps, gt_maps[, pair_ids, sim_maps, sim_maps_<kind>, ...].'),
          threshold: float = typer.Option(0.5, help='Universal threshold of the negative-audio metrics (sim_maps*).'),
          as_json: bool = typer.Option(False, '--json', help='Print one JSON object.')) -> None:
    """Score heatmaps from any method (cIoU, AUC, adaptive, interactive, negative audio, ...) by the rules of docs/metrics.md."""
    from avzoo.evaluation.score import load_predictions, score_predictions
    result = {k: (round(v, 6) if isinstance(v, float) else v)
              for k, v in score_predictions(load_predictions(predictions), threshold=threshold).items()}
    if as_json:
        print(json.dumps(result))
        return
    from avzoo.evaluation.tables import metrics_rich, negatives_rich
    console.print(metrics_rich(result, title=os.path.basename(predictions)))
    if 'max_pos_mean' in result:
        console.print(negatives_rich(result, title='negative audio'))


@app.command()
@user_errors
def convert(src: str = typer.Argument(..., help="A released checkpoint (.pth / .pth.tar)."),
            layout: str = typer.Option(..., '--from', help=f"Its layout: {CHOICES['layouts']}."),
            out: str = typer.Option(..., help='Where to write the avzoo weights (.safetensors).'),
            config: Optional[str] = typer.Option(None, help="avzoo config to fit (default: the layout's method's real config)."),
            train_list: Optional[str] = typer.Option(None, help='The shipped training list the release trained on '
                                                     '(vggsound144k, flickr144k, ...; `avzoo audit`): every result of '
                                                     'the converted weights then states its overlap with the test set '
                                                     '(else "unknown").')) -> None:
    """Convert a published checkpoint into the avzoo model of its method (checked key by key)."""
    from avzoo.convert import convert as run_convert
    from avzoo.convert import save_safetensors
    from avzoo.utils.errors import AvzooError
    if not out.endswith('.safetensors'):
        raise AvzooError(f'--out {out}: write converted weights as .safetensors')
    if train_list is not None:
        from avzoo.datasets.train_lists import train_list as shipped_list
        shipped_list(train_list)                # a wrong name fails before the conversion's work
    state, report = run_convert(src, layout, config, train_list)
    save_safetensors(state, report, out)
    ignored = f'; ignored {len(report["ignored"])} release keys the test model does not use' if report['ignored'] else ''
    if report['initialised']:
        ignored += (f'; {len(report["initialised"])} avzoo tensors are not in the release and stay freshly '
                    f'initialised (they do not enter the map): {", ".join(report["initialised"][:4])}...')
    console.print(f'{src} ({layout}) -> {out}: {len(state)} tensors for {report["config"]}{ignored}',
                  highlight=False, soft_wrap=True)


@app.command()
@user_errors
def viz(figures: List[str] = typer.Argument(..., help='thresholds, grid, interactive, curves (or all).'),
        run: List[str] = typer.Option(..., '--run', help='METHOD=CHECKPOINT (a floor: METHOD). Repeatable: one column / curve each.'),
        bench: str = typer.Option('synth_single', help='Benchmark of the thresholds, grid and curves figures.'),
        interactive_bench: str = typer.Option('synth_interactive', help='Benchmark of the interactive grid.'),
        data_root: List[str] = typer.Option([], help=BENCH_ROOT_HELP),
        out: str = typer.Option('work_dirs/viz', help='Folder for the PNG files.'),
        samples: int = typer.Option(5, help='Rows of the qualitative grid (samples spread over the test set).'),
        image: str = typer.Option('first', help="The interactive grid's image (its group name, or 'first')."),
        ogl: bool = typer.Option(False, '--ogl', help='Maps with object-guided localisation.'),
        backend: List[str] = typer.Option(['local'], help="local (PNG files) and/or tensorboard (MMEngine's TensorboardVisBackend)."),
        log_dir: Optional[str] = typer.Option(None, help='TensorBoard log folder (default OUT/tensorboard).')) -> None:
    """Draw the paper's figures for trained methods (Fig. 5 thresholds by size, Fig. 6 grid, Fig. 8 interactive grid, success curves)."""
    from avzoo.utils.errors import AvzooError
    from avzoo.workflows.viz import FIGURES, make_figures, parse_run
    names = list(FIGURES) if figures == ['all'] else figures
    bad = set(backend) - {'local', 'tensorboard'}
    if bad:
        raise AvzooError(f'--backend {sorted(bad)}: choose local and/or tensorboard')
    runs = [parse_run(r) for r in run]
    written = make_figures(runs, names, bench, out, interactive_bench, data_root, samples, image, ogl, backend, log_dir)
    for name, path in written.items():
        console.print(f'{name}: {path}')
    if 'tensorboard' in backend:
        console.print(f"tensorboard: {log_dir or os.path.join(out, 'tensorboard')}")


@app.command()
@user_errors
def retrieve(method: str = typer.Option(..., help=METHOD_HELP),
             checkpoint: Optional[str] = typer.Option(None, help='Its weights (not needed for a floor).'),
             bench: Optional[str] = typer.Option(None, help='Gallery: a benchmark (synth_retrieval, vggss_retrieval, ...).'),
             gallery: Optional[str] = typer.Option(None, help='Gallery: a folder with frames/<id>.jpg and audio/<id>.wav.'),
             data_root: List[str] = typer.Option([], help=BENCH_ROOT_HELP),
             query: Optional[str] = typer.Option(None, help='A gallery clip id: its sound (a2i) or its image (i2a) is the query.'),
             direction: str = typer.Option('a2i', help='a2i (sound -> images) or i2a (image -> sounds).'),
             compose: Optional[List[str]] = typer.Option(None, help='Compositional query: IMAGE_ID SOUND_ID (give twice: --compose A --compose B).'),
             lam: float = typer.Option(0.5, help='Compositional weight: z = lam * v_image + (1 - lam) * a_sound.'),
             target: str = typer.Option('image', help='What a compositional query retrieves: image or audio.'),
             k: int = typer.Option(5, help='How many results.'),
             space: str = typer.Option('backbone', help="Embeddings: backbone or projected (the method's heads)."),
             out: Optional[str] = typer.Option(None, help='Draw the query and its results into this PNG.')) -> None:
    """Audio->image / image->audio retrieval and the compositional retrieval of the paper's Fig. 7."""
    from avzoo.apis.retrieval import embed_gallery, results_text, retrieval_figure, retrieve_composed
    from avzoo.apis.retrieval import retrieve as run_retrieve
    from avzoo.utils.errors import AvzooError
    if (query is None) == (not compose):
        raise AvzooError('give either --query ID or --compose IMAGE_ID --compose SOUND_ID')
    if compose and len(compose) != 2:
        raise AvzooError(f'--compose takes two clip ids (an image, then a sound), got {len(compose)}')
    if direction not in ('a2i', 'i2a') or target not in ('image', 'audio'):
        raise AvzooError(f'--direction {direction!r} / --target {target!r}: choose a2i or i2a / image or audio')
    g = embed_gallery(method, checkpoint, bench, gallery, data_root, space)
    if query is not None:
        hits, scores = run_retrieve(g, query, direction, k)
        what = 'sound' if direction == 'a2i' else 'image'
        title = f'{g.label}: the {what} of {query} ranks the gallery\'s {"images" if direction == "a2i" else "sounds"}'
        queries, target_id = [(query, what)], query
    else:
        hits, scores = retrieve_composed(g, compose[0], compose[1], lam, target, k)
        title = (f'{g.label}: image of {compose[0]} + sound of {compose[1]} (lambda {lam:g}) ranks the gallery\'s '
                 f'{"images" if target == "image" else "sounds"}')
        queries, target_id = [(compose[0], 'image'), (compose[1], 'sound')], None
    console.print(title, highlight=False)
    console.print(results_text(g, hits, scores, target_id), highlight=False)
    if out:
        from avzoo.visualization import save_figure
        sub = f'{len(g.ids)} clips, {space} embeddings, cosine similarity in brackets'
        console.print(f'figure: {save_figure(retrieval_figure(g, queries, hits, scores, title, sub), out)}')


@app.command(context_settings=EXTRA)
@user_errors
def compare(ctx: typer.Context, data_root: List[str] = typer.Option([], help=SYNTH_ROOT_HELP),
            work_dir: str = typer.Option('work_dirs/compare', help='One folder per method (resumable).'),
            epochs: int = typer.Option(5, help='The same training budget for every method.'),
            only: List[str] = typer.Option([], help='Compare only these trainable methods (repeatable).'),
            readme: Optional[str] = typer.Option(None, help='Write the table into this README (compare block).'),
            cards: bool = typer.Option(False, help="Write each card's rows into the model cards the metafiles name."),
            figures: Optional[str] = typer.Option(None, help='Draw the figures of `avzoo viz` and the negative-audio histograms here.'),
            size: str = typer.Option('default', help=SYNTH_SIZE_HELP),
            force: bool = typer.Option(False, help=SYNTH_FORCE_HELP),
            cfg_options: List[str] = typer.Option([], '--cfg-options', help=OPTIONS_HELP)) -> None:
    """Train every trainable method on avzoo-synth with one budget and print one table of every metric."""
    from avzoo.engine.benchmark_config import synth_root
    from avzoo.workflows.compare import run_compare
    run_compare(synth_root(data_root, 'compare'), work_dir, epochs, only, readme, cards, figures, console, size,
                all_options(cfg_options, ctx), force=force)


@app.command()
@user_errors
def localize(media: List[str] = typer.Argument(..., help='IMAGE AUDIO (a frame and a sound file), or VIDEO (mp4, mkv, webm, mov, ... with a sound track).'),
             method: Optional[str] = typer.Option(None, help='A method of `avzoo list`, or a config.'),
             checkpoint: Optional[str] = typer.Option(None, help='Its weights (.pth or converted .safetensors).'),
             run: List[str] = typer.Option([], help='METHOD=CHECKPOINT, or a floor alone (centre_prior); repeatable: a video gets one column per run.'),
             out: Optional[str] = typer.Option(None, help='Overlay PNG (image) or MP4 (video), or a folder for <name>_<method>.png/.mp4.'),
             synth: bool = typer.Option(False, '--synth', help="Use the methods' synth configs instead of their real ones."),
             fps: Optional[float] = typer.Option(None, help='Video: frames per second to map (default 8; the zoo trains on one frame per clip).'),
             start: float = typer.Option(0.0, help='Video: first second to map.'),
             duration: Optional[float] = typer.Option(None, help='Video: seconds to map (default: to the end).'),
             maps: Optional[str] = typer.Option(None, help='Video: write the raw maps, their peaks and times to this .npz (alone: no overlay video).'),
             height: int = typer.Option(360, help='Video: rows of each column of the overlay video (at most the source\'s).'),
             batch_size: int = typer.Option(16, help='Video: frames per forward pass (memory does not grow with the video).')) -> None:
    """Localise a sound in a frame (overlay PNG + map .npy) or through a video (overlay MP4 with the
    sound, one column per run; raw maps with --maps)."""
    from avzoo.utils.errors import AvzooError
    if method is not None or checkpoint is not None:
        if run or method is None:
            raise AvzooError('give --method M [--checkpoint C] or --run M=C (repeatable), not both')
        run = [method if checkpoint is None else f'{method}={checkpoint}']
    domain = 'synth' if synth else 'real'
    if len(media) == 2:
        _localize_image(media[0], media[1], run, out, domain)
    elif len(media) == 1:
        _localize_video(media[0], run, out, domain, fps, start, duration, maps, height, batch_size)
    else:
        raise AvzooError(f'expected IMAGE AUDIO or VIDEO, got {len(media)} paths')


def _localize_image(image: str, audio: str, run: List[str], out: Optional[str], domain: str) -> None:
    from avzoo.apis.localize import localize as run_localize
    from avzoo.apis.runs import parse_run
    from avzoo.utils.errors import AvzooError
    if len(run) != 1:
        raise AvzooError(f'an image and a sound take one run (got {len(run)}): --method M --checkpoint C; several '
                         f'runs side by side: a video, or `avzoo serve`')
    method, checkpoint = parse_run(run[0])
    if checkpoint is None:
        raise AvzooError(f'give the weights of {method}: --checkpoint C')
    result = run_localize(method, checkpoint, image, audio, out, domain)
    if result.short:
        make_console(stderr=True).print(f'warning: {audio} lasts {result.sound_seconds:.2f} s, shorter than the '
                                        f'{result.window_seconds:g} s window of {method}: it was tiled to fill it')
    console.print(f'{result.png} and {result.npy} (peak similarity {result.peak_similarity:.3f} on the (cos+1)/2 '
                  f'scale; the image is min-max scaled)')


def _localize_video(video: str, run: List[str], out: Optional[str], domain: str, fps: Optional[float], start: float,
                    duration: Optional[float], maps: Optional[str], height: int, batch_size: int) -> None:
    from avzoo.apis.runs import load_runs, parse_run
    from avzoo.apis.video import localize_video
    from avzoo.utils.errors import AvzooError
    from avzoo.utils.paths import output_file
    if os.path.splitext(video)[1].lower() in ('.jpg', '.jpeg', '.png', '.bmp', '.webp'):
        raise AvzooError(f'{video} is an image: give its sound too (avzoo localize IMAGE AUDIO), or a video')
    runs = load_runs(run, domain)
    if out is not None or maps is None:
        stem = os.path.splitext(os.path.basename(video))[0]
        names = '_'.join(os.path.splitext(os.path.basename(parse_run(r)[0]))[0] for r in run)   # a config path: its stem
        out = output_file(out, f'{stem}_{names}.mp4')
    result = localize_video(video, runs, out, maps, fps, start, duration, height, batch_size)
    for name in result.short:
        make_console(stderr=True).print(f'warning: the sound of {video} is shorter than the window of {name}: '
                                        f'filled as its release fills a short clip')
    wrote = ' and '.join(p for p in (result.video, result.maps) if p)
    console.print(f'{wrote}: {result.n_frames} frames at {result.fps:g} fps from {result.start:g} s '
                  f'({result.seconds:.2f} s), {len(runs)} run(s): {", ".join(result.names)}; '
                  f'{result.frames_per_second:.1f} frames/s', highlight=False)


@app.command()
@user_errors
def serve(run: List[str] = typer.Option([], help="METHOD=CHECKPOINT, or a floor alone (centre_prior); repeatable. Default: the zoo's floors."),
          synth: bool = typer.Option(False, '--synth', help="Use the methods' synth configs instead of their real ones."),
          host: str = typer.Option('127.0.0.1', help='Address to bind (127.0.0.1: this machine only; 0.0.0.0 opens it to the network).'),
          port: int = typer.Option(7860, help='Port of the page.'),
          max_mb: float = typer.Option(50.0, help='Largest upload the page accepts, in MB.')) -> None:
    """A local web page: upload a frame and a sound, or a video, and see the runs' maps side by side
    (needs pip install 'avzoo[web]')."""
    from avzoo.apis.runs import load_runs
    from avzoo.utils.errors import AvzooError
    from avzoo.web.app import import_gradio
    from avzoo.web.app import serve as run_serve
    from avzoo.zoo import methods
    import_gradio()                       # the missing extra is the first thing to say
    domain = 'synth' if synth else 'real'
    if run:
        runs = load_runs(run, domain)
    else:                                 # the zoo's floors that load without files of their own
        runs = []
        for name in (n for n, m in methods().items() if not m.trains):
            try:
                runs += load_runs([name], domain)
            except AvzooError as exc:
                make_console(stderr=True).print(f'skipped the floor {name}: {exc}')
        if not runs:
            raise AvzooError('no method to show: give one, --run METHOD=CHECKPOINT')
    console.print(f"avzoo serve: {', '.join(r.name for r in runs)} at http://{host}:{port} (Ctrl+C stops)")
    run_serve(runs, host, port, max_mb)


def main() -> None:
    from avzoo.engine.distributed import teardown_distributed
    try:
        app(prog_name='avzoo')
    except SystemExit as done:
        if done.code in (0, None):         # after a failure a peer may be mid-collective: no barrier
            teardown_distributed()
        raise


if __name__ == '__main__':
    sys.exit(main())
