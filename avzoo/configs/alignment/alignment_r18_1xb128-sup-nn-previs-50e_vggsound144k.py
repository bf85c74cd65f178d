# "Ours" with a pre-trained vision encoder ("Pre. Vision" in the paper's tables): the main setting
# (alignment_r18_1xb128-sup-nn-50e_vggsound144k.py, values cited there) with the visual ResNet-18
# initialised from ImageNet: torchvision's resnet18 state dict under `weights_root`
# (AVZOO_WEIGHTS=DIR), never downloaded.
_base_ = ['./alignment_r18_1xb128-sup-nn-50e_vggsound144k.py']
model = dict(visual_encoder=dict(init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet18_imagenet.pth')))
