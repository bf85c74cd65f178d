# Runtime shared by every config. avzoo's own hooks are default hooks (a dict merges across
# configs, so a config's custom_hooks list, when it has one, holds only what is particular to it):
# skip_report counts skipped media, progress draws rich bars, method_epoch calls
# LocalizationMethod.on_epoch before each epoch (FNAC's warm-up; a no-op for the others), finite_loss stops
# a diverged run, heatmaps logs validation maps to the visualizer. AvzooCheckpointHook saves before it prunes and marks `last_checkpoint` atomically;
# the schedules' AvzooEpochLoop seeds every iteration and resumes inside an epoch, and the training
# sampler (SeededSampler) gives every sample its own random stream, so a killed run resumes exactly.
default_scope = 'avzoo'
runner_type = 'AvzooRunner'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='AvzooCheckpointHook', interval=1, max_keep_ckpts=2, save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    skip_report=dict(type='SkipReportHook'),
    progress=dict(type='RichProgressHook'),
    method_epoch=dict(type='MethodEpochHook'),
    finite_loss=dict(type='FiniteLossHook'),
    heatmaps=dict(type='HeatmapVisHook', n_samples=4),
)
# Scalars and the heatmap samples of every validation go to the visualizer's backends: local files
# under the run's vis_data/ (avzoo's default); for TensorBoard (pip install 'avzoo[tensorboard]'):
# --cfg-options "visualizer.vis_backends=[dict(type='LocalVisBackend'),dict(type='TensorboardVisBackend')]"
visualizer = dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
log_processor = dict(by_epoch=True, window_size=20)
log_level = 'INFO'
# Which checkpoint a run reports (avzoo.protocol.selection, docs/protocol.md): avzoo keeps the last
# epoch and validates on a split disjoint from every test benchmark, never on a test set. The releases'
# best-test-score rule is available only by naming the test benchmark (selection.on='test:NAME').
selection = dict(rule='last')
load_from = None
resume = False
randomness = dict(seed=0)

# Local pre-trained weights (ImageNet ResNet-18, ...) live under this folder; set it once with the
# environment variable AVZOO_WEIGHTS=DIR or per command with --data-root weights_root=DIR.
weights_root = 'checkpoints'
