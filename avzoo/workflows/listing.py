"""``avzoo list``: the zoo's methods with their configs, the benchmarks with their protocol, the
miners and feature sources, as one dict (printed as JSON or as tables by the command line)."""
from __future__ import annotations

import os
from typing import Optional


def zoo_listing() -> dict:
    """``{methods, benchmarks, miners, feature_sources}``: config paths relative to avzoo/configs."""
    import avzoo  # noqa: F401  (registration)
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.engine.benchmark_config import bench_names
    from avzoo.engine.config import CONFIG_ROOT
    from avzoo.registry import FEATURE_SOURCES, MINERS
    from avzoo.zoo import methods

    def short(path: Optional[str]) -> Optional[str]:
        return None if path is None else (os.path.relpath(path, CONFIG_ROOT) if path.startswith(CONFIG_ROOT) else path)

    rows = [dict(name=s.name, label=s.label, synth_config=short(s.configs.get('synth')),
                 real_config=short(s.configs.get('real')), trained=s.trains, about=s.about, aliases=list(s.aliases))
            for s in methods().values()]
    benches = []
    for name in bench_names():
        info = benchmark_info(name)
        benches.append(dict(name=name, domain=info.domain, family=info.family, protocol=info.protocol,
                            origin=info.origin, layout=info.layout))
    return dict(methods=rows, benchmarks=benches, miners=sorted(MINERS.module_dict),
                feature_sources=sorted(FEATURE_SOURCES.module_dict))
