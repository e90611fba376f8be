"""How many generated inputs the generative tests try.

`make test` tries all of them. `make test-fast` (the inner loop) sets FUZZ_SCALE=0.2 and tries
a fifth: the fuzzers request a fifth of their addresses, the API schema test generates a third of
its requests, and the XSS tests spread their payloads over the fields so that every payload
still runs on some field in every fast run.
"""

import os

FUZZ_SCALE = min(1.0, max(0.01, float(os.environ.get("FUZZ_SCALE", "1"))))
STEP = round(1 / FUZZ_SCALE)


def scaled(count, minimum=100):
    """A share of `count` generated inputs, never fewer than `minimum`."""
    return max(minimum, int(count * FUZZ_SCALE))


def share(items, index):
    """The `index`-th of STEP interleaved shares of `items` (all of them at full scale)."""
    return [(number, item) for number, item in enumerate(items) if number % STEP == index % STEP]
