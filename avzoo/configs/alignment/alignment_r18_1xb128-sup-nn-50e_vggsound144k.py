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
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/audio/spec_16k_257x299.py',
          '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_50e.py', '../_base_/default_runtime.py']

# Upsampling: bilinear align_corners=True (the alignment release on every test set but VGG-SS); its
# VGG-SS protocol (cv2-style half-pixel, 4,655 clips) is the benchmark `vggss_ours`.
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image='data/vggsound/embeddings/imagenet_resnet_vggsound144k/embeddings.npy',
                       audio='data/vggsound/embeddings/vggsound_audio_vggsound144k/embeddings.npy',
                       ids='vggss_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='auto'))]
