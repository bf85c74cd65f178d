# Runtime shared by every config. avzoo's own hooks are default hooks (a dict merges across
# configs, so a config's custom_hooks list holds only what is particular to it):
# skip_report counts skipped media, progress draws rich bars, method_epoch calls
# SSLMethod.on_epoch before each epoch (FNAC's warm-up; a no-op for the others).
default_scope = 'avzoo'
runner_type = 'AvzooRunner'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2, save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    skip_report=dict(type='SkipReportHook'),
    progress=dict(type='RichProgressHook'),
    method_epoch=dict(type='MethodEpochHook'),
)
custom_hooks = []
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
log_processor = dict(by_epoch=True, window_size=20)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0)

# Local pre-trained weights (ImageNet ResNet-18, ...) live under this folder; set it once with the
# environment variable AVZOO_WEIGHTS=DIR or per command with --data-root weights_root=DIR.
weights_root = 'checkpoints'
