import sys, time


def fizz(n):
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)


def count(size):
    return sum(len(fizz(n)) for n in range(1, size + 1))


size = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
start = time.perf_counter()
result = count(size)
elapsed = time.perf_counter() - start
print(result)
print(f"inproc_ms {elapsed * 1e3:.3f}", file=sys.stderr)
