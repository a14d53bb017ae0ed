#!/usr/bin/env python3
"""Time from starting the command-line client to its first HTTP request arriving, and to its exit.

Usage: docs/benchmarks/cli-first-request.py [RUNS] [-- COMMAND...]
  default command: bin/spiderpig jobs

A stand-in server on 127.0.0.1 records when each request arrives and answers an empty job list;
the client is pointed at it with SPIDERPIG_URL. Prints each run (with the CPU
time the client used, which a busy machine inflates less than wall time) and the medians.
"""
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time

BODY = b'{"jobs":[],"next":null}'


def serve(listener, arrivals):
    while True:
        connection, _ = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                if not data:
                    arrivals.append(time.monotonic())
                data += chunk
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                               + b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)


def main():
    args = sys.argv[1:]
    runs = int(args.pop(0)) if args and args[0].isdigit() else 10
    command = args[args.index("--") + 1:] if "--" in args else ["bin/spiderpig", "jobs"]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    arrivals = []
    threading.Thread(target=serve, args=(listener, arrivals), daemon=True).start()
    env = dict(os.environ, SPIDERPIG_URL="http://127.0.0.1:%d" % listener.getsockname()[1])
    first, total, cpu = [], [], []
    for run in range(runs):
        before = len(arrivals)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        end = time.monotonic()
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        first.append((arrivals[before] - start) * 1000)
        total.append((end - start) * 1000)
        cpu.append((now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime) * 1000)
        print("run %d: first request after %.0f ms, exit after %.0f ms, CPU %.0f ms"
              % (run + 1, first[-1], total[-1], cpu[-1]))
    print("median of %d: first request after %.0f ms, exit after %.0f ms, CPU %.0f ms; load average %s"
          % (runs, statistics.median(first), statistics.median(total), statistics.median(cpu),
             " ".join("%.1f" % x for x in os.getloadavg())))


if __name__ == "__main__":
    main()
