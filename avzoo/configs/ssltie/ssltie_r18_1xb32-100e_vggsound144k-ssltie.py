# SSL-TIE on VGGSound-144K as its release trains it: SSL-TIE's own 144K list (vggss_144k_ssltie.txt =
# jinxiang-liu/SSL-TIE @c49e6a9 metadata/train_vggss_train_144k.txt, datasets/dataloader.py L86-101)
# and scripts/train_VGGSound144k.sh. Line numbers below are of that commit. Where avzoo differs:
# - frames for testing: the shared benchmark frame, 224x224 bicubic (as the alignment release's
#   evaluator feeds SSL-TIE, kaistmm/SSLalignment datasets_ssltie.py L365-369); SSL-TIE's own test
#   resizes the shorter side to 224 and centre-crops (dataloader.py L200-204);
# - selection: avzoo keeps the last epoch and validates on vggss_val.txt; the release keeps the best
#   cIoU on the VGG-SS test set (--val_set VGGSS, main.py L495 and L564-578, docs/protocol.md);
# - the Gaussian blur of the MoCo v2 pipeline: torchvision's GaussianBlur (kernel 23, sigma 0.1-2)
#   for the release's PIL blur of radius sigma (dataloader.py L31-40) (avzoo's choice);
# - batch norm: the frame and its transformed copy each get their own pass, as in the release, but
#   the audio encoder runs once (the release runs it twice on the same spectrogram, main.py L118 and
#   L138, which updates its running statistics twice with the same batch);
# - initialisation: PyTorch's (the release redraws every BN weight from N(1, 0.02), model.py L49-55).
_base_ = ['../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
# Audio: the clip tiled to 10 s and all of it (dataloader.py L247-251), read at 16 kHz (avzoo's
# prepared media; the release uses the file's rate), channel 0 (the release needs mono files);
# torchaudio MelSpectrogram n_fft 512, hop 239, 257 mels, normalized (L253-259) -> 257x670; in
# training SpecAugment with p 0.8, time mask 180, frequency mask 35, before AmplitudeToDB (L261-268).
audio = dict(sample_rate=16000, clip_seconds=10.0, window_seconds=10.0, window_start=0.0, channel='first',
             fill='clip')
data_preprocessor = dict(type='AVDataPreprocessor',
                         spectrogram=dict(type='MelSpectrogramDB', sample_rate=16000, n_fft=512, hop_length=239,
                                          n_mels=257, normalized=True, time_mask=180, freq_mask=35, p_mask=0.8))
# Encoders: LVS's ResNet-18 for both modalities with layer4 at stride 1 (networks/base_models.py
# L141-156: 512x14x14 visual map), the visual one from scratch (models/model.py L30:
# pretrained=False, and main.py never loads weights), the audio one max-pooled (model.py L32, L69-70);
# the test map upsampled like cv2.INTER_LINEAR (main.py L344: half-pixel bilinear).
model = dict(
    type='AVLocalizer',
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 1)),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 1), pool='max'),
    upsample='bilinear',
    # rotation up to 30 degrees (train_VGGSound144k.sh L9 --max_rotation_angle 30); scale 1 or 0.5 with
    # equal odds and a flip with p 0.5, once per batch (utils/tf_equivariance_loss.py L98-105 and
    # L122-125, hard-coded: the script's --rescale_factor is never read); MSE weight 1
    # (opts.py L77 trans_equi_weight, main.py L144); trimap eps 0.65 / 0.4 (opts.py L31-32), trimap
    # temperature 0.03 (models/model.py L37), logits / 0.07 (model.py L98).
    method=dict(type='SSLTIE', max_angle=30, scales=(1.0, 0.5), p_flip=0.5, equivariance_weight=1.0,
                eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
image_size = 224
# Training frames: MoCo v2's augmentations (train_VGGSound144k.sh L4 --img_aug moco_v2,
# dataloader.py L185-198): random resized crop 224 at scale 0.3-1, colour jitter 0.4 / 0.4 / 0.4 / 0.1
# with p 0.8, grayscale p 0.2, Gaussian blur sigma 0.1-2 with p 0.5, flip.
moco_v2_pipeline = [
    dict(type='tv/RandomResizedCrop', size=image_size, scale=(0.3, 1.0), antialias=True),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/ColorJitter', brightness=0.4, contrast=0.4,
                                                  saturation=0.4, hue=0.1)], p=0.8),
    dict(type='tv/RandomGrayscale', p=0.2),
    dict(type='tv/RandomApply', transforms=[dict(type='tv/GaussianBlur', kernel_size=23, sigma=(0.1, 2.0))], p=0.5),
    dict(type='tv/RandomHorizontalFlip')]
# Batch 32 (train_VGGSound144k.sh L1), SSL-TIE's 144K list.
train_dataloader = dict(batch_size=32, dataset=dict(id_list='vggss_144k_ssltie.txt', image_pipeline=moco_v2_pipeline))
# Validation (watched only): 781 of the shared vggss_val.txt clips are in SSL-TIE's list, so its configs
# watch vggss_val_ssltie.txt, the 706 VGGSound-10K (clean) clips in neither 144K list (avzoo's;
# media: `avzoo prepare vggsound_val_ssltie --out <data_root>`).
val_dataloader = dict(dataset=dict(id_list='vggss_val_ssltie.txt'))
# Adam, lr 1e-4, weight decay 1e-4 (main.py L454, opts.py L36 and L46), 100 epochs
# (train_VGGSound144k.sh L14); the MultiStepLR milestones 300 / 700 / 900 (main.py L455) are never
# reached in 100 epochs, so the rate is constant. Seed 4 (opts.py L64).
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(type='AvzooEpochLoop', max_epochs=100, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
randomness = dict(seed=4)
