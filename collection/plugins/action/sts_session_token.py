# -*- coding: utf-8 -*-
# Copyright: the stsgo.aws maintainers
# Apache License 2.0 (see LICENSE)
"""The sts_session_token action: runs the module's Go binary on the managed host."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.stsgo.aws.plugins.plugin_utils.binary_module import BinaryModuleAction


class ActionModule(BinaryModuleAction):
    MODULE = 'sts_session_token'
