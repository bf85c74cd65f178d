# "Ours" (NN w/ Sup. Pre. Enc.), the paper's main setting ("Aligning Sight and Sound", TPAMI 2025):
# VGGSound-144K, two ResNet-18s from scratch (the release's evaluation architecture, ../_base_/
# models/alignment_r18.py), multi-view + semantic positives (k = 1000) mined in the embedding
# spaces of a supervised ImageNet image encoder and a supervised VGGSound audio encoder; 50 epochs,
# Adam 1e-4, batch 128, tau 0.07 (the paper's implementation details; the release has no training
# code). Set the roots (`--data-root data_root=DIR --data-root vggss_root=DIR`) and write the two
# embedding files (rows in the order of vggss_144k.txt) with `avzoo embed`:
#   avzoo embed vggss_144k.txt --encoder imagenet_resnet18 --weights checkpoints/resnet18_imagenet.pth \
#     --data-root data/vggsound --out data/vggsound/embeddings/imagenet_resnet_vggsound144k
#   avzoo embed vggss_144k.txt --encoder vggsound_audio --weights checkpoints/vggsound_audio_H.pth.tar \
#     --data-root data/vggsound --out data/vggsound/embeddings/vggsound_audio_vggsound144k
# ResNet-18 is avzoo's default ImageNet encoder (imagenet_resnet50 embeds with a ResNet-50); the
# audio encoder is the VGGSound release's ResNet-18 classifier (hche11/VGGSound).
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_50e.py', '../_base_/default_runtime.py']

# Augmented view (the paper: SimCLR's image augmentations, Chen et al. ICML 2020, Appendix A):
# random resized crop at scale 0.08-1, colour jitter 0.8 / 0.8 / 0.8 / 0.2 applied with p 0.8,
# grayscale p 0.2, Gaussian blur (kernel ~10 % of the side, sigma 0.1-2) with p 0.5, flip.
simclr_pipeline = [
    dict(type='tv/RandomResizedCrop', size=224, scale=(0.08, 1.0), interpolation='bicubic', antialias=True),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/ColorJitter', brightness=0.8, contrast=0.8,
                                                  saturation=0.8, hue=0.2)], p=0.8),
    dict(type='tv/RandomGrayscale', p=0.2),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/GaussianBlur', kernel_size=23, sigma=(0.1, 2.0))], p=0.5),
    dict(type='tv/RandomHorizontalFlip')]
# The audio view is a slight time shift around the centred window: at most 0.5 s either way
# (avzoo's bound; the paper gives no number).
train_dataloader = dict(dataset=dict(
    audio=dict(max_shift=0.5), aug_pipeline=simclr_pipeline, views=('aug', 'nn'), nn_sampling='random'))
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             # The paper's InfoNCE is vision-to-audio (Sec. 3, Eq. 5); 'both' is the symmetric form it
             # attributes to other work.
             method=dict(type='CrossModalAlignment', embed_dim=512, proj_dim=128, proj_hidden=512, tau=0.07,
                         views=('aug', 'nn'), use_alignment=True, direction='v2a'))
# Upsampling: bilinear align_corners=True (the alignment release on every test set but VGG-SS); its
# VGG-SS protocol (cv2-style half-pixel, 4,655 clips) is the benchmark `vggss_ours`.
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image='data/vggsound/embeddings/imagenet_resnet_vggsound144k/embeddings.npy',
                       audio='data/vggsound/embeddings/vggsound_audio_vggsound144k/embeddings.npy',
                       ids='vggss_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='auto'))]
