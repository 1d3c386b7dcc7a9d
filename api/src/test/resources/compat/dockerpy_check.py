"""docker-py against a Docker Engine API socket: prints `key=value` lines for the Java test
(dev.berth.api.compat.DockerPyCompatTest) to assert. Usage: python3 dockerpy_check.py unix:///path.sock"""
import io
import sys
import tarfile
import time

import docker

base_url = sys.argv[1]
# docker-py 5.0 speaks API 1.41 unless told otherwise; the daemon serves 1.24 to 1.47.
client = docker.DockerClient(base_url=base_url, timeout=60)
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


def eventually(check, seconds=20):
    """Polls until check() is true (a loaded machine may take a while to run the container's shell)."""
    deadline = time.time() + seconds
    while not check() and time.time() < deadline:
        time.sleep(0.2)


eventually(lambda: b"to-err" in c.logs() and any("sleep" in " ".join(p) for p in c.top()["Processes"]))
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

# logs followed as a stream, archive put and get
f = client.containers.run("busybox:latest", ["sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done; sleep 300"],
                          detach=True, name="pyfollow")
out("logs.follow", ",".join(l.decode().strip() for _, l in zip(range(3), f.logs(stream=True, follow=True))))
r = f.exec_run(["sh", "-c", "echo s1; sleep 0.2; echo s2"], stream=True)
out("exec.stream", ",".join(x.decode().strip() for x in r.output))
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as tf:
    data = b"payload\n"
    ti = tarfile.TarInfo("p.txt")
    ti.size = len(data)
    tf.addfile(ti, io.BytesIO(data))
out("put_archive", f.put_archive("/tmp", buf.getvalue()))
strm, stat = f.get_archive("/tmp/p.txt")
with tarfile.open(fileobj=io.BytesIO(b"".join(strm))) as tf:
    out("get_archive", "%s %d %s" % (stat["name"], stat["size"], tf.extractfile("p.txt").read().decode().strip()))
f.kill(signal="SIGKILL")
out("kill.wait", f.wait(timeout=30)["StatusCode"])
f.restart(timeout=1)
f.reload()
out("restart.status", f.status)
out("commit.tags", ",".join(f.commit(repository="pycommit", tag="v1").tags))
f.remove(force=True)
client.images.remove("pycommit:v1")

# kill then remove(force) at once, as Testcontainers stops a container: the exit may not be
# recorded yet when the remove comes, and the remove must not trip on it
failures = []
for i in range(8):
    k = client.containers.run("busybox:latest", ["sleep", "300"], detach=True)
    k.kill()
    try:
        k.remove(v=True, force=True)
    except docker.errors.APIError as e:
        failures.append(str(e))
out("kill.remove.failures", failures)

# published ports and networks: a port published on 127.0.0.1 answers; the default networks are listed
web = client.containers.run("busybox:latest", ["sh", "-c", "while true; do echo pong | nc -l -p 80; done"],
                            ports={"80/tcp": ("127.0.0.1", None)}, detach=True)
web.reload()
host_port = int(web.attrs["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"])
import socket
reply = b""
for _ in range(50):
    try:
        with socket.create_connection(("127.0.0.1", host_port), timeout=2) as sock:
            reply = sock.recv(16)
        if reply:
            break
    except OSError:
        time.sleep(0.1)
out("ports.reply", reply.decode().strip())
web.remove(force=True)
out("networks", sorted(n.name for n in client.networks.list()))
net = client.networks.create("pynet", driver="bridge")
out("networks.created", client.networks.get("pynet").name)
net.remove()
# what needs a builder is refused with a message saying so
try:
    client.images.build(fileobj=io.BytesIO(b"FROM busybox:latest\n"), tag="pybuild:1")
    out("build", "built")
except docker.errors.APIError as e:
    out("build.refused", "%d %s" % (e.status_code, "not implemented by berth yet" in str(e)))

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
saved = b"".join(client.images.get("busybox:latest").save())
client.images.get("busybox:latest").tag("pyretag", "x")
out("images.tag", ",".join(sorted(client.images.get("pyretag:x").tags)))
client.images.remove("pyretag:x")
out("images.load", ",".join(t for i in client.images.load(saved) for t in i.tags))
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
