"""What the command line runs: training, evaluation, the demo, the comparison study, ablations and
figures. Each workflow is a function over the engine and the APIs; ``avzoo.cli`` only parses."""
