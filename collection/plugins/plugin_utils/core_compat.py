# -*- coding: utf-8 -*-
# Copyright: stsgo.aws maintainers (@stsgo-aws)
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the action plugin needs of ActionBase where ansible-core changed it.

Each name here feature-tests the running ansible-core once, at import, and
each branch is exercised by the tests on the version that takes it: 2.14
(bookworm), 2.19 (trixie) and 2.22 (forky).

- 2.19 made _configure_module return (_BuiltModule, path) instead of a
  4-tuple, gave _parse_returned_data the module's serialization profile,
  and encodes a module's arguments with that profile's encoder (a vaulted
  value is no longer a str).
- by 2.19, get_action_args_with_defaults (which merged and templated a
  task's module_defaults for an action) had given way to
  _apply_action_arg_defaults, which reads them from the task, templates
  with the new engine, and leaves omitted values out itself.
- 2.22 made _parse_returned_data return a UnifiedTaskResult, which cleans
  its own internal keys (and registers the module's _ansible_new_secrets
  with the controller's masker), and removed
  ansible.vars.clean.remove_internal_keys.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import inspect
import json

from ansible.plugins.action import ActionBase

try:  # 2.19 and later: arguments may hold tagged values (vaulted ones)
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
except ImportError:  # 2.18 and earlier: plain str subclasses
    get_module_encoder = None

try:  # 2.19 and later
    from ansible.executor.module_common import _BuiltModule
except ImportError:  # 2.18 and earlier
    _BuiltModule = None

try:  # 2.19 and later
    from ansible.executor.module_common import _apply_action_arg_defaults
    get_action_args_with_defaults = remove_omit = None
except ImportError:  # 2.18 and earlier
    _apply_action_arg_defaults = None
    from ansible.executor.module_common import get_action_args_with_defaults
    from ansible.executor.task_executor import remove_omit

try:  # 2.21 and earlier
    from ansible.vars.clean import remove_internal_keys
except ImportError:  # 2.22 and later: the parsed result removes its own
    remove_internal_keys = None

# Binary modules are read and written with the legacy profile (2.19+).
_PROFILE = 'legacy'
_TAKES_PROFILE = 'profile' in inspect.signature(ActionBase._parse_returned_data).parameters

if get_module_encoder is not None:
    # The profile's modules are imported on first use. Here it happens once,
    # where the strategy loads the action plugin, and not in each task's
    # worker.
    get_module_encoder(_PROFILE, Direction.CONTROLLER_TO_MODULE)
    get_module_decoder(_PROFILE, Direction.MODULE_TO_CONTROLLER)


def binary_module(path):
    """Return what _configure_module returns for the binary module at path.
    No module data is given, so the file is sent as it is."""
    if _BuiltModule is None:
        return 'binary', None, None, path
    return _BuiltModule(b_module_data=None, module_style='binary', shebang=None, serialization_profile=_PROFILE), path


# The name under which group_defaults asks ansible-core for the defaults of
# a set of groups: no module has it, so no module's own defaults match it.
_MEMBER = 'stsgo.aws.group_defaults'


class _Defaults(object):
    """What ansible-core's defaults lookup reads of a task: its
    module_defaults and its play's action groups (task._parent._play)."""

    def __init__(self, module_defaults, action_groups):
        self.module_defaults = module_defaults
        self._action_groups = action_groups
        self._parent = self._play = self


def group_defaults(action, groups, args, task_vars):
    """Return the task's arguments (args) over the defaults that its
    module_defaults give the action groups named in groups (fully
    qualified, as ansible-core keeps them: ansible.builtin.aws for
    group/aws). ansible-core itself merges and templates them, as it does
    for a module in those groups: each group's entry in the order the
    module_defaults list them, later ones winning, with the task's
    variables; a value that templates to omit is left out."""
    task = action._task
    layers = [dict((k, v) for k, v in layer.items() if k.startswith('group/') and k[len('group/'):] in groups)
              for layer in task.module_defaults or () if isinstance(layer, dict)]
    if not any(layers):
        return dict(args)
    member = {_MEMBER: sorted(groups)}
    if _apply_action_arg_defaults is not None:
        return _apply_action_arg_defaults(_MEMBER, _Defaults(layers, member), dict(args), action._templar)
    merged = get_action_args_with_defaults(_MEMBER, dict(args), layers, action._templar, action_groups=member)
    omit = task_vars.get('omit')
    return remove_omit(merged, omit) if omit else merged


def encode_args(args):
    """Return a module's arguments as the JSON ansible-core would send to a
    binary module."""
    if get_module_encoder is None:
        return json.dumps(args)
    return json.dumps(args, cls=get_module_encoder(_PROFILE, Direction.CONTROLLER_TO_MODULE))


def module_result(action, res):
    """Return the result of a module from the output of the command that ran
    it (res, as _low_level_execute_command returns it), as _execute_module
    returns a module's result: parsed, its internal keys handled, and
    removed."""
    if _TAKES_PROFILE:
        data = action._parse_returned_data(res, _PROFILE)
    else:
        data = action._parse_returned_data(res)
    if remove_internal_keys is None:
        data.remove_internal_keys()
        return data.as_result_dict(for_round_trip=True)
    data.pop('_ansible_suppress_tmpdir_delete', None)
    remove_internal_keys(data)
    return data
