"""Reference Erlang C and Erlang A figures, computed independently of the SQL models.

Erlang C uses exact rational arithmetic (`fractions.Fraction`) for P_w, so nothing overflows
or cancels however large N is; the spec's SL and ASA formulas then follow in floating point.

Erlang A (M/M/N+M, exponential patience) is computed two independent ways:
* the closed forms of Mandelbaum & Zeltyn ("The Palm/Erlang-A queue, with applications to call
  centers", Technion, 2005, section 4) with SciPy's regularized incomplete gamma function;
* the birth-death chain itself: stationary probabilities summed directly, and the tagged
  caller's fate (served within t, before hanging up) from the matrix exponential of the
  absorbing chain it sees (scipy.linalg.expm).
The SQL models use neither (they sum the series in log space), so agreement is a real check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import linalg, special


@dataclass(frozen=True)
class Staffing:
    agents: int
    wait_probability: float
    service_level: float
    asa_seconds: float
    occupancy: float
    abandon_probability: float | None = None


def erlang_c(agents: int, offered: float, aht: float, interval_seconds: float,
             threshold: float) -> Staffing:
    """Spec formulas at N agents; P_w exact (A is taken as an exact rational)."""
    traffic = Fraction(offered) * Fraction(aht) / Fraction(interval_seconds)
    term = Fraction(1)
    below = Fraction(0)
    for k in range(agents):
        below += term
        term = term * traffic / (k + 1)
    top = term * agents / (agents - traffic)
    wait = float(top / (below + top))
    a = float(traffic)
    service_level = 1 - wait * math.exp(-(agents - a) * threshold / aht)
    return Staffing(agents, wait, service_level, wait * aht / (agents - a), a / agents)


def required_erlang_c(offered: float, aht: float, interval_seconds: float, threshold: float,
                      target: float, max_occupancy: float) -> Staffing:
    a = offered * aht / interval_seconds
    agents = math.floor(a) + 1
    while True:
        result = erlang_c(agents, offered, aht, interval_seconds, threshold)
        if result.service_level >= target and a / agents <= max_occupancy:
            return result
        agents += 1


def erlang_a(agents: int, offered: float, aht: float, interval_seconds: float,
             threshold: float, patience: float) -> Staffing:
    """Mandelbaum & Zeltyn's closed forms, with SciPy's incomplete gamma function."""
    lam, mu, theta = offered / interval_seconds, 1 / aht, 1 / patience
    x, y = agents * mu / theta, lam / theta
    a = lam / mu
    # A(x, y) = x e^y y^-x gamma(x, y), gamma the lower incomplete gamma function
    log_lower_gamma = math.log(special.gammainc(x, y)) + special.gammaln(x)
    big_a = x * math.exp(y - x * math.log(y) + log_lower_gamma)
    log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(agents + 1)]
    top = max(log_terms)
    weights = [math.exp(v - top) for v in log_terms]
    erlang_b = weights[-1] / sum(weights)
    wait = big_a * erlang_b / (1 + (big_a - 1) * erlang_b)
    rho = lam / (agents * mu)
    abandon = wait * (1 / (rho * big_a) + 1 - 1 / rho)
    # answered within t: 1 - P_w + P_w [gamma(x+1, y) - gamma(x+1, y u)] / (y gamma(x, y))
    u = math.exp(-theta * threshold)

    def lower(s: float, z: float) -> float:
        return special.gammainc(s, z) * math.exp(special.gammaln(s))

    answered_late = (lower(x + 1, y) - lower(x + 1, y * u)) / (y * lower(x, y))
    service_level = 1 - wait + wait * answered_late
    return Staffing(agents, wait, service_level, float("nan"), a / agents, abandon)


def erlang_a_chain(agents: int, offered: float, aht: float, interval_seconds: float,
                   threshold: float, patience: float, waiting_room: int = 400) -> Staffing:
    """The birth-death chain itself (truncated far in the tail) and the tagged caller's chain."""
    lam, mu, theta = offered / interval_seconds, 1 / aht, 1 / patience
    states = agents + waiting_room
    weights = np.zeros(states + 1)
    weights[0] = 1.0
    for k in range(1, states + 1):
        rate_down = min(k, agents) * mu + max(k - agents, 0) * theta
        weights[k] = weights[k - 1] * lam / rate_down
    pi = weights / weights.sum()
    wait = pi[agents:].sum()
    abandon = theta * sum(pi[k] * (k - agents) for k in range(agents, states + 1)) / lam
    # tagged caller with j callers ahead: position j..0 transient, then served or abandoned.
    size = waiting_room + 1
    generator = np.zeros((size + 2, size + 2))  # last two: served, abandoned (absorbing)
    for j in range(size):
        ahead_leave = agents * mu + j * theta
        if j == 0:
            generator[j, size] = agents * mu  # a server frees up: served
        else:
            generator[j, j - 1] = ahead_leave
        generator[j, size + 1] = theta  # the tagged caller hangs up
        generator[j, j] = -(ahead_leave + theta)
    transition = linalg.expm(generator * threshold)
    served_within = transition[:size, size]
    arrivals_waiting = pi[agents:agents + size]
    service_level = (1 - wait) + float(arrivals_waiting @ served_within)
    # mean virtual wait: E[sum of Exp(N mu + i theta), i = 0..j]
    virtual = [sum(1 / (agents * mu + i * theta) for i in range(j + 1)) for j in range(size)]
    asa = float(arrivals_waiting @ np.array(virtual))
    return Staffing(agents, float(wait), float(service_level), asa, lam / mu / agents,
                    float(abandon))
