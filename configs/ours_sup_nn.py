# "Ours" (NN w/ Sup. Pre. Enc.), the paper's main setting: trained on VGGSound-144K, ResNet-18 x2
# from scratch, multi-view + semantic positives (k = 1000) mined in the embedding spaces of a
# supervised ImageNet image encoder and a supervised VGGSound audio encoder, 50 epochs, Adam 1e-4.
# Set `data_root` (frames/<id>.jpg, audio/<id>.wav, 10 s clips at 16 kHz) and the two embedding
# files (rows in the order of vggss_144k.txt), e.g. `--cfg-options data_root=/data/vggsound`.
_base_ = ['_base_/models/alignment_r18.py', '_base_/schedules/adam_1e-4.py', '_base_/default_runtime.py']

data_root = 'data/vggsound'
vggss_root = 'data/vggss'                     # VGG-SS test media (`avzoo prepare vggss`), validation
# id lists and annotations (vggss_144k.txt, vggss.json) are the copies shipped in avzoo/annotations/
image_size = 224
audio = dict(sample_rate=16000, clip_seconds=10.0, window_seconds=3.0, window_start=3.5, channel='first')
train_dataloader = dict(
    batch_size=128, num_workers=8, persistent_workers=True, drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='AVPairDataset', data_root=data_root, id_list='vggss_144k.txt',
                 image_size=image_size, audio=audio,
                 image_pipeline=[dict(type='tv/Resize', size=(246, 246), antialias=True),
                                 dict(type='tv/RandomCrop', size=image_size),
                                 dict(type='tv/RandomHorizontalFlip')],
                 aug_pipeline=[dict(type='tv/RandomResizedCrop', size=image_size, scale=(0.2, 1.0), antialias=True),
                               dict(type='tv/RandomApply', transforms=[dict(type='tv/ColorJitter', brightness=0.4,
                                    contrast=0.4, saturation=0.4, hue=0.1)], p=0.8),
                               dict(type='tv/RandomGrayscale', p=0.2),
                               dict(type='tv/RandomHorizontalFlip')],
                 views=('aug', 'nn'), nn_sampling='random'))
val_dataloader = dict(
    batch_size=64, num_workers=8, sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='VGGSSDataset', data_root=vggss_root, ann_file='vggss.json',
                 image_size=image_size, audio=audio))
val_evaluator = dict(type='LocalizationMetric')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
model = dict(upsample='bilinear')            # VGG-SS maps were upsampled like cv2.INTER_LINEAR
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image=data_root + '/embeddings/imagenet_resnet_vggsound144k.npy',
                       audio=data_root + '/embeddings/vggsound_audio_vggsound144k.npy',
                       ids='vggss_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='faiss'),
         cache=data_root + '/embeddings/neighbours_sup_k1000.npz'),
    dict(type='SkipReportHook'), dict(type='RichProgressHook')]
# `avzoo eval --ogl`: EZ-VSL's object-guided localisation, objectness from a frozen ImageNet
# ResNet-18 (torchvision layout, layer4 at stride 32 -> 7x7), alpha 0.4. Weights are local only:
# put torchvision's resnet18 state dict (resnet18-f37072fd.pth) at this path.
ogl = dict(type='OGL', alpha=0.4,
           encoder=dict(type='ResNetEncoder', strides=(1, 2, 2, 2), pretrained='checkpoints/resnet18_imagenet.pth'))
