# Runs a Python reference module the way ansible-core's AnsiballZ wrapper
# does: the task arguments (with the _ansible_* keys) handed to
# AnsibleModule, the module executed as __main__. Used by the differential
# tests with Debian's ansible (community.aws 5.5) and python3-boto3.
#   /usr/bin/python3 reference.py MODULE_PACKAGE ARGS_FILE
import json
import runpy
import sys

from ansible.module_utils import basic

with open(sys.argv[2], "rb") as f:
    args = json.load(f)
basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
sys.argv = [sys.argv[1]]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
