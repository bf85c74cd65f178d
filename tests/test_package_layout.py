"""The tree shows the architecture: avzoo's subpackages import each other in one direction only
(every import counts, also those inside functions), from ``utils`` at the bottom up to the command
line at the top."""
import ast
import os
from collections import defaultdict

from tests.utils import REPO

# Bottom to top: a package imports only packages before it.
ORDER = ['version', 'utils', 'registry', 'zoo', 'datasets', 'models', 'miners', 'evaluation', 'visualization', 'protocol',
         'engine', 'convert', 'apis', 'web', 'embed', 'workflows', 'cli', '__main__', '__init__']


def package_imports():
    """``{package: {imported package: [files]}}`` over every ``.py`` file of avzoo (configs aside)."""
    graph = defaultdict(lambda: defaultdict(list))
    root = os.path.join(REPO, 'avzoo')
    for dirpath, _, files in os.walk(root):
        if os.path.join(root, 'configs') in dirpath:
            continue
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            package = rel.split(os.sep)[0].removesuffix('.py')
            for node in ast.walk(ast.parse(open(path).read())):
                modules = []
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                elif isinstance(node, ast.Import):
                    modules = [a.name for a in node.names]
                for module in modules:
                    parts = module.split('.')
                    if parts[0] == 'avzoo' and len(parts) > 1 and parts[1] != package:
                        graph[package][parts[1]].append(rel)
    return graph


def test_every_package_has_a_place():
    top = {name.removesuffix('.py') for name in os.listdir(os.path.join(REPO, 'avzoo'))
           if name.endswith('.py') or os.path.isfile(os.path.join(REPO, 'avzoo', name, '__init__.py'))}
    assert top - set(ORDER) == set(), f'place these in ORDER: {top - set(ORDER)}'


def test_packages_import_downwards_only():
    rank = {p: i for i, p in enumerate(ORDER)}
    wrong = [f'{src} -> {dst} ({files[0]})' for src, deps in package_imports().items() for dst, files in deps.items()
             if rank[dst] >= rank[src]]
    assert wrong == [], 'upward imports (a cycle in the making):\n' + '\n'.join(wrong)


def test_only_the_entry_points_the_registry_and_the_version_are_loose_modules():
    loose = sorted(n for n in os.listdir(os.path.join(REPO, 'avzoo')) if n.endswith('.py'))
    assert loose == ['__init__.py', '__main__.py', 'cli.py', 'registry.py', 'version.py']
