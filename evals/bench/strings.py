from benchlib import measure


def run(size):
    s = ",".join(["k" + str(i) for i in range(1, size + 1)])
    return f"{len(s)}\n{s[len(s) - 14:]}"


measure(run, 200000)
