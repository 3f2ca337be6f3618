#!/usr/bin/python3
"""The reference workload (tests/bench/reference_workload.h) as a SimPy process model: the
SimPy peer of issue 21 (docs/performance.md, "Peers").

Written for SimPy 2 (Debian bookworm's python3-simpy 2.3.1, the object-oriented
``SimPy.Simulation`` API): one ``Process`` per borrower, the SMS vendor a
``Resource(capacity=1)`` (FIFO queue), service and payment delays ``hold``s. Times are
integer microseconds, as the loop's SimTime.

The draws are faultline's KeyedRandom (sim/random/hash.h, stream.h, distributions.h)
re-implemented with 64-bit masks, keyed by borrower, with the loop's stream names and
conversions (truncation toward zero), so the counts equal the loop's exactly
(tests/bench/peers/check_counts.sh).

    simpy_reference.py preload|source BORROWERS [SEED]

preload: every borrower's process activated up front at its reminder time (N pending
event notices, the usual SimPy style); source: one generator process walks the reminders
sorted by (time, borrower) and activates each borrower when its reminder is due (the
streaming loop's shape).
"""
import math
import sys

from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

MASK = (1 << 64) - 1


def mix64(x):
    """SplitMix64's finaliser (sim/random/hash.h)."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def combine(a, b):
    return mix64(a ^ mix64(b))


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for c in text.encode():
        h ^= c
        h = (h * 0x100000001B3) & MASK
    return h


class KeyedRandom:
    """faultline::KeyedRandom: the draw for (a, b) is a pure function of the stream's key."""

    def __init__(self, run_seed, name):
        self.key = combine(run_seed, fnv1a64(name))

    def uniform01(self, a, b=0):
        return (combine(combine(self.key, a), b) >> 11) * 2.0**-53  # to_unit: 53 bits

    def bernoulli(self, p, a, b=0):
        if p <= 0:
            return False
        if p >= 1:
            return True
        return self.uniform01(a, b) < p

    def exponential(self, mean, a, b=0):
        return -mean * math.log1p(-self.uniform01(a, b))


SECOND = 1_000_000
WINDOW_US = 3 * 86_400 * SECOND  # reminders uniform over [0, 3 days)
SERVICE_US = SECOND // 500  # one vendor, 500 messages/s
PAY_PROBABILITY = 0.9
PAY_DELAY_MEAN_US = 6 * 3_600 * SECOND


class Counts:
    reminders = 0
    delivered = 0
    paid = 0


class Borrower(Process):
    def journey(self, vendor, behaviour, i, counts):
        counts.reminders += 1  # the reminder arrives: the process starts at its time
        yield request, self, vendor
        yield hold, self, SERVICE_US
        yield release, self, vendor
        counts.delivered += 1
        if behaviour.bernoulli(PAY_PROBABILITY, i, 0):
            yield hold, self, int(behaviour.exponential(float(PAY_DELAY_MEAN_US), i, 1))
            counts.paid += 1


class Source(Process):
    """Activates each borrower at its reminder time, in (time, borrower) order."""

    def generate(self, reminders, vendor, behaviour, counts):
        sim = self.sim
        for at, i in reminders:
            if at > sim.now():
                yield hold, self, at - sim.now()
            b = Borrower(sim=sim)
            sim.activate(b, b.journey(vendor, behaviour, i, counts))


def main(argv):
    usage = "usage: simpy_reference.py preload|source BORROWERS [SEED]"
    if len(argv) not in (3, 4) or argv[1] not in ("preload", "source"):
        print(usage, file=sys.stderr)
        return 2
    try:
        n = int(argv[2])
        seed = int(argv[3]) if len(argv) == 4 else 20260401
        if not 0 <= n < 1 << 30 or not 0 <= seed <= MASK:  # the loop's limits
            raise ValueError
    except ValueError:
        print("simpy_reference.py: BORROWERS is in [0, 2^30), SEED a non-negative 64-bit "
              "integer\n" + usage, file=sys.stderr)
        return 2
    reminder = KeyedRandom(seed, "reference/reminder")
    behaviour = KeyedRandom(seed, "reference/behaviour")
    times = [int(reminder.uniform01(i) * float(WINDOW_US)) for i in range(n)]

    sim = Simulation()
    sim.initialize()
    vendor = Resource(capacity=1, name="vendor", sim=sim)
    counts = Counts()
    if argv[1] == "preload":
        for i in range(n):
            b = Borrower(sim=sim)
            sim.activate(b, b.journey(vendor, behaviour, i, counts), at=times[i])
    else:
        source = Source(sim=sim)
        order = sorted(zip(times, range(n)))
        sim.activate(source, source.generate(order, vendor, behaviour, counts))
    sim.simulate(until=1 << 62)

    events = counts.reminders + counts.delivered + counts.paid
    print(f"borrowers={n} events={events} reminders={counts.reminders} "
          f"delivered={counts.delivered} paid={counts.paid} missed={n - counts.paid}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
