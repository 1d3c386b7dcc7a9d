"""docker-py against a Docker Engine API socket: prints `key=value` lines for the Java test
(dev.berth.api.compat.DockerPyCompatTest) to assert. Usage: python3 dockerpy_check.py unix:///path.sock"""
import sys
import time

import docker

base_url = sys.argv[1]
client = docker.DockerClient(base_url=base_url, version="auto", timeout=60)
api = client.api


def out(key, value):
    print("%s=%s" % (key, value), flush=True)


out("ping", client.ping())
version = client.version()
out("version.ApiVersion", version["ApiVersion"])
out("version.Os", version["Os"])
out("info.has_containers", "Containers" in client.info())

started = int(time.time()) - 1

# run --rm: the output comes back
output = client.containers.run("busybox:latest", ["sh", "-c", "echo hello from run"], remove=True)
out("run.output", output.decode().strip())

# run -d with labels and a memory limit
c = client.containers.run("busybox:latest", ["sh", "-c", "echo to-out; echo to-err >&2; sleep 300"],
                          detach=True, name="pyc", labels={"suite": "compat", "tool": "docker-py"},
                          mem_limit="64m")
out("run.detached.name", c.name)
time.sleep(1)
c.reload()
out("status", c.status)
out("attrs.HostConfig.Memory", c.attrs["HostConfig"]["Memory"])
out("attrs.Config.Labels.suite", c.attrs["Config"]["Labels"].get("suite"))
out("attrs.State.Running", c.attrs["State"]["Running"])
out("labels", ",".join(sorted("%s:%s" % kv for kv in c.labels.items())))
out("image.tags", ",".join(c.image.tags))

# list with filters
out("list.label", ",".join(x.name for x in client.containers.list(filters={"label": "suite=compat"})))
out("list.label.none", len(client.containers.list(filters={"label": "suite=other"})))
out("list.name", ",".join(x.name for x in client.containers.list(filters={"name": "pyc"})))
out("list.status.running", ",".join(x.name for x in client.containers.list(filters={"status": "running"})))
out("list.get", client.containers.get("pyc").id == c.id)

# logs
out("logs.stdout", c.logs(stdout=True, stderr=False).decode().strip())
out("logs.stderr", c.logs(stdout=False, stderr=True).decode().strip())
out("logs.both", ",".join(sorted(c.logs().decode().split())))

# exec_run
r = c.exec_run(["sh", "-c", "echo exec-out; exit 3"])
out("exec.exit", r.exit_code)
out("exec.output", r.output.decode().strip())
r = c.exec_run("cat /proc/self/cgroup", stdout=True, stderr=True)
out("exec.ok.exit", r.exit_code)
r = c.exec_run(["sh", "-c", "echo a; echo b >&2"], demux=True)
out("exec.demux", "%s|%s" % (r.output[0].decode().strip(), r.output[1].decode().strip()))

# pause / unpause
c.pause()
c.reload()
out("paused.status", c.status)
c.unpause()
c.reload()
out("unpaused.status", c.status)

# top
top = c.top()
out("top.titles.has_pid", "PID" in top["Titles"])
out("top.has_sleep", any("sleep" in " ".join(p) for p in top["Processes"]))

# stats
stats = c.stats(stream=False)
out("stats.memory.limit", stats["memory_stats"].get("limit"))
out("stats.has_cpu", "cpu_usage" in stats["cpu_stats"])

# rename
c.rename("pyc2")
c.reload()
out("rename.name", c.name)

# stop / wait
c.stop(timeout=1)
w = c.wait(timeout=30)
out("wait.StatusCode", w["StatusCode"])
c.reload()
out("stopped.status", c.status)

c2 = client.containers.run("busybox:latest", ["sh", "-c", "exit 7"], detach=True, name="pyexit")
out("wait.exit7", c2.wait(timeout=30)["StatusCode"])

# images
imgs = client.images.list()
out("images.tags", ",".join(sorted(t for i in imgs for t in i.tags)))
img = client.images.get("busybox:latest")
out("images.get.id", img.id.startswith("sha256:"))

# volumes
v = client.volumes.create(name="pyvol", labels={"suite": "compat"})
out("volume.create", v.name)
out("volume.list", ",".join(x.name for x in client.volumes.list(filters={"label": "suite=compat"})))
out("volume.output", client.containers.run("busybox:latest", ["sh", "-c", "echo in-vol > /v/f; cat /v/f"],
                                            volumes={"pyvol": {"bind": "/v", "mode": "rw"}}, remove=True).decode().strip())

# df
df = client.df()
out("df.keys", ",".join(sorted(k for k in ("Images", "Containers", "Volumes", "LayersSize") if k in df)))
out("df.volume", any(x["Name"] == "pyvol" for x in df["Volumes"]))

# events: what happened since the start, up to now
until = int(time.time()) + 1
time.sleep(1.2)
events = list(client.events(since=started, until=until, decode=True))
actions = set("%s:%s" % (e.get("Type"), e.get("Action")) for e in events)
for a in ("container:create", "container:start", "container:die", "container:pause", "container:unpause",
          "container:rename", "container:destroy", "volume:create"):
    out("events." + a, a in actions)
out("events.filtered", sorted(set(e["Action"] for e in client.events(
    since=started, until=until, decode=True, filters={"container": "pyexit", "event": "die"}))))

# remove
c.remove()
c2.remove(v=True)
v.remove()
out("volume.removed", "pyvol" not in [x.name for x in client.volumes.list()])
out("remaining", len(client.containers.list(all=True)))
try:
    client.containers.get("pyc2")
    out("get.removed", "found")
except docker.errors.NotFound:
    out("get.removed", "NotFound")
out("done", True)
