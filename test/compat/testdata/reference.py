# Runs a Python reference module the way ansible-core's AnsiballZ wrapper
# does: the task arguments (with the _ansible_* keys) handed to
# AnsibleModule, the module executed as __main__. Used by the differential
# tests with each test environment's ansible-core and collections.
#   python3 reference.py MODULE_PACKAGE ARGS_FILE
import inspect
import json
import runpy
import sys

from ansible.module_utils import basic

with open(sys.argv[2], "rb") as f:
    args = json.load(f)
params = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
module = sys.argv[1]
sys.argv = [module]

try:
    # ansible-core 2.19 and later: the wrapper's own loader, which sets the
    # serialization profile and reports an exception as a failed result.
    from ansible.module_utils._internal._ansiballz import _loader
except ImportError:
    basic._ANSIBLE_ARGS = params
    runpy.run_module(module, run_name="__main__", alter_sys=True)
else:
    kwargs = dict(json_params=params, profile="legacy", module_fqn=module, modlib_path="", extensions={})
    if "secrets" in inspect.signature(_loader.run_module).parameters:  # 2.22
        kwargs["secrets"] = frozenset()
    _loader.run_module(**kwargs)
