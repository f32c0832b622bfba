"""Creates, under ~/.ansible/test/venv, the virtual environments that
ansible-test sanity would otherwise create and fill from PyPI, from this
Python's own (Debian's) packages instead, run in the collection's folder.

ansible-test keeps one environment per sanity test (and one shared by the
tests with no requirements) at
~/.ansible/test/venv/LABEL/PYTHON_VERSION/HASH, where LABEL is
sanity.TEST, or sanity when the test has none, and HASH is taken over the
pip commands its requirements file stands for; it reuses an environment
whose marker.txt exists and reads whether PyYAML there has libyaml from
meta.yaml.json. Each one made here shares the system's site-packages, and
its path is computed with ansible-test's own functions, so it is the one
ansible-test looks for.

Debian has no antsibull-docs-parser, which validate-modules requires on
ansible-core 2.19 and later: an environment whose requirements name it,
and whose Python cannot import it, gets the stand-in (argv[1]) in its
site-packages.

Prints "python X.Y", then one "venv PATH" line each, and "stand-in PATH"
where the stand-in was put. When a Debian package the tests need is
missing, prints "missing PACKAGE..." and exits 2 instead.
"""

import glob
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys

from ansible_test._internal.commands.sanity import hash_pip_commands
from ansible_test._internal.host_configs import NativePythonConfig
from ansible_test._internal.python_requirements import PipInstall, collect_requirements
from ansible_test._internal.util import ANSIBLE_TEST_DATA_ROOT

# What the sanity tests import, and the Debian package with each.
MODULES = {'yaml': 'python3-yaml', 'jinja2': 'python3-jinja2', 'pylint': 'pylint',
           'pycodestyle': 'python3-pycodestyle', 'yamllint': 'yamllint', 'voluptuous': 'python3-voluptuous'}
COMMANDS = {'shellcheck': 'shellcheck'}


def main():
    standin = sys.argv[1]
    missing = sorted({pkg for mod, pkg in MODULES.items() if importlib.util.find_spec(mod) is None} |
                     {pkg for cmd, pkg in COMMANDS.items() if shutil.which(cmd) is None})
    if missing:
        print('missing', ' '.join(missing))
        sys.exit(2)
    version = '%d.%d' % sys.version_info[:2]
    print('python', version)
    python = NativePythonConfig(version=version, path=sys.executable)
    # Every test with a requirements file, and import.module, which has
    # none, each with minimize False and True: the import test asks for
    # both, and ansible-test 2.14 hashes them differently.
    names = [os.path.basename(p)[len('sanity.'):-len('.txt')]
             for p in sorted(glob.glob(os.path.join(ANSIBLE_TEST_DATA_ROOT, 'requirements', 'sanity.*.txt')))]
    names.append('import.module')
    accepted = inspect.signature(collect_requirements).parameters
    made = set()
    for name in names:
        for minimize in (False, True):
            kwargs = dict(python=python, controller=True, ansible=False, coverage=False, minimize=minimize,
                          command=None, sanity=name, virtualenv=False, cryptography=False)
            commands = collect_requirements(**{k: v for k, v in kwargs.items() if k in accepted})
            label = 'sanity.' + name if commands else 'sanity'
            path = os.path.join(os.path.expanduser('~/.ansible/test/venv'), label, version, hash_pip_commands(commands))
            if path not in made:
                made.add(path)
                make(path, commands)
                print('venv', path)
                if needs(commands, 'antsibull-docs-parser') and not imports(path, 'antsibull_docs_parser'):
                    site = os.path.join(path, 'lib', 'python' + version, 'site-packages', 'antsibull_docs_parser')
                    shutil.copytree(standin, site)
                    print('stand-in', site)


def needs(commands, package):
    """Whether commands install package."""
    return any(isinstance(c, PipInstall) and c.has_package(package) for c in commands)


def imports(path, module):
    """Whether the environment at path imports module."""
    return subprocess.run([os.path.join(path, 'bin', 'python'), '-c', 'import ' + module],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode == 0


def make(path, commands):
    """Create the environment at path for commands, as ansible-test would have."""
    subprocess.run([sys.executable, '-m', 'venv', '--system-site-packages', '--without-pip', path], check=True)
    with open(os.path.join(path, 'meta.install.json'), 'w') as f:
        f.write(json.dumps([c.serialize() for c in commands], indent=4))
    libyaml = None
    if needs(commands, 'pyyaml'):
        check = 'import json, yaml; print(json.dumps(hasattr(yaml, "CSafeLoader")))'
        libyaml = json.loads(subprocess.run([os.path.join(path, 'bin', 'python'), '-c', check],
                                            check=True, capture_output=True, text=True).stdout)
    with open(os.path.join(path, 'meta.yaml.json'), 'w') as f:
        json.dump(libyaml, f)
    open(os.path.join(path, 'marker.txt'), 'w').close()


main()
