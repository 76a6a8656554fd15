# The installed distributions of a Python environment, each with the pulumi-plugin.json its
# package ships (a generated SDK names its resource plugin there), as one JSON list on stdout.
import importlib.metadata
import json

found = []
for dist in importlib.metadata.distributions():
    plugin = None
    for file in dist.files or []:
        if file.name == "pulumi-plugin.json" and len(file.parts) == 2:
            plugin = json.loads(file.read_text())
            break
    found.append({"name": dist.metadata["Name"], "version": dist.version, "plugin": plugin})
print(json.dumps(found))
