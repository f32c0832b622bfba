# Prints, as one JSON object, the versions of the Ansible stack that this
# python3 imports. make roots runs it inside each root and stores the reply
# as /stsgo-versions.json; the roots package runs it on the host's own
# /usr/bin/python3, so all environments are described the same way.
import json
import os
from importlib.metadata import PackageNotFoundError, version

import ansible.release


def collection(namespace, name):
    # Debian installs the collections as plain Python packages without
    # distribution metadata: the version is in each collection's MANIFEST.json.
    try:
        module = __import__("ansible_collections.%s.%s" % (namespace, name), fromlist=["_"])
    except ImportError:
        return ""
    path = os.path.join(list(module.__path__)[0], "MANIFEST.json")
    try:
        with open(path) as f:
            return json.load(f)["collection_info"]["version"]
    except (OSError, ValueError, KeyError):
        return ""


def distribution(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


print(json.dumps({
    "ansible_core": ansible.release.__version__,
    "amazon_aws": collection("amazon", "aws"),
    "community_aws": collection("community", "aws"),
    "boto3": distribution("boto3"),
    "botocore": distribution("botocore"),
}, sort_keys=True))
