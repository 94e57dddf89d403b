from benchlib import measure


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


measure(count, 300000)
