# avzoo-synth (generate with `avzoo synth --out data/avzoo-synth`): 224 px frames, 8 kHz 2 s clips.
# The training dataset loads the views its method trains on (model.method.views, set by load_config).
# Loaders run in the main process: on 2 CPU cores a worker process oversubscribes them (measured
# 2.8 s/step with one worker vs 2.0 s without). Models see 128 px
# frames; the audio window comes with the front end (../audio/spec_8k_synth.py).
synth_root = 'data/avzoo-synth'
image_size = 128
# The alignment method's augmented view: SimCLR's image augmentations (Chen et al., ICML 2020,
# Appendix A: crop scale 0.08-1, jitter 0.8/0.8/0.8/0.2 with p 0.8, grayscale 0.2, blur with a kernel
# of ~10 % of the side and p 0.5, flip), as the paper uses them; the kernel is scaled to 128 px.
simclr_pipeline = [
    dict(type='tv/RandomResizedCrop', size=image_size, scale=(0.08, 1.0), antialias=True),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/ColorJitter', brightness=0.8, contrast=0.8,
                                                  saturation=0.8, hue=0.2)], p=0.8),
    dict(type='tv/RandomGrayscale', p=0.2),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/GaussianBlur', kernel_size=13, sigma=(0.1, 2.0))], p=0.5),
    dict(type='tv/RandomHorizontalFlip'),
]
anchor_pipeline = [
    dict(type='tv/Resize', size=(image_size, image_size), antialias=True),
    dict(type='tv/RandomHorizontalFlip'),
]
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False, drop_last=True,
    sampler=dict(type='SeededSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='AVPairDataset', data_root=synth_root + '/train', id_list='synth_train.txt',
                 image_size=image_size, image_pipeline=anchor_pipeline,
                 aug_pipeline=simclr_pipeline, nn_sampling='random',
                 audio=dict(max_shift=0.5)))   # the aug view's window: at most 0.5 s from the centred one
# Validation (watched, avzoo selects the last epoch): retrieval R@1 on 200 clips of the labelled
# `pretrain` split, which no test split shares (avzoo's choice; the test splits are never seen in training).
val_dataloader = dict(
    batch_size=50, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='AVPairTestDataset', data_root=synth_root + '/pretrain', id_list='labels.csv', limit=200,
                 image_size=image_size))
val_evaluator = dict(type='RetrievalMetric')
test_dataloader = dict(
    batch_size=50, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='VGGSSDataset', data_root=synth_root + '/test_single', ann_file='synth_single.json',
                 image_size=image_size))
test_evaluator = dict(type='LocalizationMetric')
# `avzoo eval --ogl`: object-guided localisation with the supervised synth encoder as the objectness
# network (the analogue of OGL's frozen ImageNet ResNet-18; written by the mining hook / `avzoo mine`).
ogl = dict(type='OGL', alpha=0.4,
           encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128),
                        pretrained=synth_root + '/encoders/visual_encoder.pth'))
