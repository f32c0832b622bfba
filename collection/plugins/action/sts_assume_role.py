# -*- coding: utf-8 -*-
# Copyright: stsgo.aws maintainers (@stsgo-aws)
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sts_assume_role action: runs the module's Go binary on the managed host."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.stsgo.aws.plugins.plugin_utils.binary_module import BinaryModuleAction


class ActionModule(BinaryModuleAction):
    MODULE = 'sts_assume_role'
