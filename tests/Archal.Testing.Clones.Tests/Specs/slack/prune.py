#!/usr/bin/env python3
"""Prunes Slack's Web API OpenAPI (Swagger 2.0) spec to the methods the clone serves.

Usage: python3 prune.py <slack_web_openapi_v2.json> > slack_web_openapi_v2.pruned.json

Besides dropping unused paths and definitions, it rewrites one known defect: a few definitions
(objs_conversation, objs_user, objs_response_metadata) list their alternatives as a draft-4 tuple
(`"items": [A, B]` with no `type`), which validates nothing on an object. They become `anyOf`,
which is what the spec evidently means, so the tests actually check conversations and users.
"""
import json
import sys

METHODS = """api.test auth.test team.info conversations.list conversations.create conversations.info
conversations.history conversations.replies conversations.join conversations.leave conversations.invite
conversations.kick conversations.archive conversations.unarchive conversations.rename conversations.setTopic
conversations.setPurpose conversations.members conversations.open conversations.close conversations.mark chat.postMessage
chat.update chat.delete chat.postEphemeral chat.getPermalink chat.scheduleMessage chat.scheduledMessages.list
chat.deleteScheduledMessage search.messages reactions.add reactions.remove reactions.get reactions.list pins.add pins.remove
pins.list users.list users.info users.lookupByEmail users.conversations users.profile.get users.getPresence""".split()

TUPLE_ROOTS = ["objs_conversation", "objs_user", "objs_response_metadata"]

spec = json.load(open(sys.argv[1]))
paths = {f"/{m}": spec["paths"][f"/{m}"] for m in METHODS if f"/{m}" in spec["paths"]}
for ops in paths.values():
    for op in ops.values():
        op.pop("parameters", None)
        op.pop("description", None)
        for response in op["responses"].values():
            response.pop("examples", None)

defs = spec["definitions"]
needed = set()
def walk(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.split("/")[-1]
            if name not in needed:
                needed.add(name)
                walk(defs[name])
        for value in node.values():
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
walk(paths)

definitions = {name: defs[name] for name in sorted(needed)}
for name in TUPLE_ROOTS:
    d = definitions.get(name)
    if d is not None and isinstance(d.get("items"), list) and "type" not in d:
        definitions[name] = {"anyOf": d["items"]}

out = {k: spec[k] for k in ("swagger", "info", "host", "basePath", "schemes")}
out["paths"] = paths
out["definitions"] = definitions
json.dump(out, sys.stdout, indent=1, sort_keys=True)
