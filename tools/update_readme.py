"""Rewrite the generated blocks of the README (the zoo tables) and of every method card (its recipe
and results) from the metafiles (avzoo/configs/*/metafile.yml).

    python tools/update_readme.py          # rewrite the files in place
    python tools/update_readme.py --check  # exit 1 if a file differs (what the tests check)
"""
import argparse
import sys

from avzoo.zoo.tables import generated_files, render_blocks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true')
    args = parser.parse_args()
    stale = []
    for path, blocks in generated_files().items():
        with open(path) as f:
            text = f.read()
        new = render_blocks(text, blocks, path)
        if new != text:
            stale.append(path)
            if not args.check:
                with open(path, 'w') as f:
                    f.write(new)
    if args.check and stale:
        print('out of date (run python tools/update_readme.py): ' + ', '.join(stale))
    return int(args.check and bool(stale))


if __name__ == '__main__':
    sys.exit(main())
