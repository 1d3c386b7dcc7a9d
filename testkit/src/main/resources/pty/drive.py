"""Runs a command under a pseudo-terminal, as a user at a terminal would, and prints what the
terminal showed, then "EXIT <code>". Steps come as JSON (argv[1]), then the command:
  ["size", rows, cols]     set the terminal's size (before the start: its first size)
  ["type", text]           type text (\r ends a line, \x10\x11 is docker's detach)
  ["until", token, secs]   read until the token shows or the time is up
  ["sleep", secs]
"""
import fcntl, json, os, pty, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
first_size = next((s for s in steps if s[0] == "size"), None)
pid, fd = pty.fork()
if pid == 0:
    if first_size:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", first_size[1], first_size[2], 0, 0))
    os.execv(sys.argv[2], sys.argv[2:])

out = b""

def read_until(token, limit):
    global out
    end = time.time() + limit
    while token not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            out += data

for i, step in enumerate(steps):
    if step[0] == "size" and step is not first_size:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", step[1], step[2], 0, 0))
    elif step[0] == "type":
        os.write(fd, step[1].encode())
    elif step[0] == "until":
        read_until(step[1].encode(), step[2])
    elif step[0] == "sleep":
        time.sleep(step[1])
read_until(b"\x00never\x00", 5)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.stdout.write("\nEXIT %d\n" % os.waitstatus_to_exitcode(status))
