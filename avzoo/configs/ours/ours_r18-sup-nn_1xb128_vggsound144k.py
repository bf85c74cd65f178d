# "Ours" (NN w/ Sup. Pre. Enc.), the paper's main setting: trained on VGGSound-144K, ResNet-18 x2
# from scratch, 1 process x batch 128, multi-view + semantic positives (k = 1000) mined in the
# embedding spaces of a supervised ImageNet image encoder and a supervised VGGSound audio
# encoder, 50 epochs, Adam 1e-4. Set `data_root` (frames/<id>.jpg, audio/<id>.wav, 10 s clips at
# 16 kHz) and the two embedding files (rows in the order of vggss_144k.txt), e.g.
# `--cfg-options data_root=/data/vggsound vggss_root=/data/vggss` (every path below moves with them).
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/audio/spec_16k_257x299.py',
          '../_base_/datasets/vggsound144k.py', '../_base_/schedules/adam_1e-4_50e.py',
          '../_base_/default_runtime.py']

# id lists and annotations (vggss_144k.txt, vggss.json) are the copies shipped in avzoo/annotations/
train_dataloader = dict(dataset=dict(
    aug_pipeline=[dict(type='tv/RandomResizedCrop', size=224, scale=(0.2, 1.0), antialias=True),
                  dict(type='tv/RandomApply', transforms=[dict(type='tv/ColorJitter', brightness=0.4,
                       contrast=0.4, saturation=0.4, hue=0.1)], p=0.8),
                  dict(type='tv/RandomGrayscale', p=0.2),
                  dict(type='tv/RandomHorizontalFlip')],
    views=('aug', 'nn'), nn_sampling='random'))
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             method=dict(type='CrossModalAlignment', embed_dim=512, proj_dim=128, proj_hidden=512, tau=0.07,
                         views=('aug', 'nn'), use_alignment=True, direction='both'),
             upsample='bilinear')            # VGG-SS maps were upsampled like cv2.INTER_LINEAR
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image='data/vggsound/embeddings/imagenet_resnet_vggsound144k.npy',
                       audio='data/vggsound/embeddings/vggsound_audio_vggsound144k.npy',
                       ids='vggss_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='faiss'))]
