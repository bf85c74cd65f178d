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
