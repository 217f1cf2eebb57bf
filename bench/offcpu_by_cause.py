#!/usr/bin/env python3
# offcpu_by_cause: where a process's threads wait, by cause (docs/performance.md).
#   perf record -e sched:sched_switch --call-graph dwarf,32768 -p PID -o off.data -- sleep 15
#   perf script -i off.data -F tid,time,event,trace,ip,sym > off.txt
#   bench/offcpu_by_cause.py off.txt
# Each switch-out is charged the time until the same thread's next
# switch-out (an upper bound: it includes the next run, ~1 ms on average):
# to the frame it waited in when it slept (state S or D), or to
# "preempted" when it was still runnable. Not a test.
import re, sys, collections
blocks = open(sys.argv[1]).read().split('\n\n')
events = []
for blk in blocks:
    lines = blk.strip().split('\n')
    if not lines or 'sched_switch' not in lines[0]: continue
    head = lines[0].split()
    tid = head[0]; t = float(head[1].rstrip(':'))
    state = re.search(r'prev_state=(\S+)', lines[0]).group(1)
    frames = [l.split(None, 1)[1].split('+')[0] if len(l.split(None, 1)) > 1 else '' for l in lines[1:]]
    events.append((tid, t, state, frames))
def cause(frames):
    j = ' '.join(frames)
    if 'sqlite3WalCheckpoint' in j: return 'SQLite checkpoint (fsync/copy) inside a COMMIT'
    if 'sqlite3WalFrames' in j or 'sqlite3PagerCommitPhaseOne' in j: return 'SQLite WAL write/sync in a COMMIT'
    m = re.search(r'cs::manager::(\w+)::(\w+)', j)
    if 'lll_lock_wait' in j and m: return 'mutex wait in %s::%s' % (m.group(1), m.group(2))
    if 'epoll_wait' in j or 'posix_event::wait' in j: return 'idle (epoll / asio wait)'
    if 'lll_lock_wait' in j: return 'other mutex wait'
    return 'other (preempted, I/O, sends)'
by = collections.defaultdict(float); n = collections.Counter()
last = {}
for tid, t, state, frames in sorted(events, key=lambda e: e[1]):
    if tid in last:
        pt, pstate, pframes = last[tid]
        c = cause(pframes) if pstate in ('S', 'D') else 'preempted (runnable, waiting for a core)'
        by[c] += t - pt; n[c] += 1
    last[tid] = (t, state, frames)
total = sum(by.values())
for c, v in sorted(by.items(), key=lambda kv: -kv[1]):
    print('%8.0f ms  %5.1f %%  %5d  %s' % (v * 1000, 100 * v / total, n[c], c))
