# VGGSound-144K training (shipped id list vggss_144k.txt) and VGG-SS validation/test; a config adds
# its audio front end (../audio/: the alignment release's 257x299 or the EZ-VSL family's 257x200).
# `data_root`: frames/<id>.jpg, audio/<id>.wav (`avzoo prepare vggsound144k`); `vggss_root`: the VGG-SS test media (`avzoo prepare vggss`);
# `--data-root data_root=DIR --data-root vggss_root=DIR` moves every path built from them.
_base_ = ['../pipelines/simclr_224.py']
data_root = 'data/vggsound'
vggss_root = 'data/vggss'
image_size = 224
# Training frames as every release trains them (stoneMo/EZ-VSL datasets.py L152-155, stoneMo/SLAVC
# datasets.py L219-221, OpenNLPLab/FNAC_AVL datasets.py L311-313): the shorter side resized to
# int(224 * 1.1) = 246 with bicubic interpolation (aspect ratio kept), a random 224 crop, a flip.
anchor_pipeline = [dict(type='tv/Resize', size=246, interpolation='bicubic', antialias=True),
                   dict(type='tv/RandomCrop', size=image_size),
                   dict(type='tv/RandomHorizontalFlip')]
# Test frames: resized to 224x224 with bicubic interpolation, aspect ratio not kept
# (stoneMo/EZ-VSL datasets.py L210-211; the alignment release's datasets_lvs.py L227-231).
test_pipeline = [dict(type='tv/Resize', size=(image_size, image_size), interpolation='bicubic', antialias=True)]
# Batch 128 and 8 loader workers: the releases' defaults (stoneMo/EZ-VSL train.py L35 and L40); the
# workers are capped at the CPUs available when the runner is built. Validation batch 64: avzoo's.
train_dataloader = dict(
    batch_size=128, num_workers=8, persistent_workers=True, drop_last=True,
    sampler=dict(type='SeededSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='AVPairDataset', data_root=data_root, id_list='vggss_144k.txt',
                 image_size=image_size, image_pipeline=anchor_pipeline,
                 # the views a method may train on (it names them: model.method.views): the augmented
                 # view (SimCLR frames, ../pipelines/simclr_224.py, and the window shifted by at most
                 # 0.5 s either way, avzoo's bound: the paper gives none) and a mined neighbour drawn
                 # at random among the k nearest
                 aug_pipeline={{_base_.simclr_pipeline}}, audio=dict(max_shift=0.5), nn_sampling='random'))
# Scoring loaders (validation and test) share their settings.
score_loader = dict(batch_size=64, num_workers=8, sampler=dict(type='DefaultSampler', shuffle=False),
                    collate_fn=dict(type='default_collate'))
# Validation (watched; avzoo keeps the last epoch, docs/protocol.md): cross-modal retrieval on the
# 1,000 VGGSound clips of vggss_val.txt, which are in no 144K list and no test benchmark (avzoo's
# choice; the releases validate and select on VGG-SS test, e.g. stoneMo/EZ-VSL train.py L161-180).
# Their media sit with the training clips (`avzoo prepare vggsound_val --out <data_root>`).
val_dataloader = dict(
    score_loader,
    dataset=dict(type='AVPairTestDataset', data_root=data_root, id_list='vggss_val.txt',
                 image_size=image_size, image_pipeline=test_pipeline))
val_evaluator = dict(type='RetrievalMetric')
test_dataloader = dict(
    score_loader,
    dataset=dict(type='VGGSSDataset', data_root=vggss_root, ann_file='vggss.json',
                 image_size=image_size, image_pipeline=test_pipeline))
test_evaluator = dict(type='LocalizationMetric')
# `avzoo eval --ogl`: objectness from a frozen ImageNet ResNet-18 (layer4 at stride 32 -> 7x7),
# alpha 0.4 (the alignment release's test.py L395-403). Weights are local only: torchvision's
# resnet18 state dict under `weights_root` (default_runtime.py).
imagenet_resnet18 = 'checkpoints/resnet18_imagenet.pth'
ogl = dict(type='OGL', alpha=0.4, encoder=dict(type='ResNetEncoder', strides=(1, 2, 2, 2), pretrained=imagenet_resnet18))
