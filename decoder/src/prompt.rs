//! The prompt of `synoema generate`: a compact Synoema reference for a
//! small model, as a system text and a few worked examples (task →
//! program) put into the model's chat template. Every example program is
//! checked by the compiler in this module's tests.

/// The system text: what Synoema looks like, in a few lines.
pub const SYSTEM: &str = "You write programs in Synoema, a small functional language. \
Reply with the program only, no explanation and no code fences. \
Functions are equations: `f x y = x + y`; patterns on the left: `len [] = 0`, `len (x : xs) = 1 + len xs`. \
Lists are written with spaces: `[1 2 3]`; ranges `[1..10]`; comprehensions `[x * 2 | x <- xs, x > 0]`. \
Conditionals: `? cond -> a : b`. Lambdas: `\\x -> x + 1`. Strings: `\"n = ${n}\"`. \
Prelude: map filter foldl sum length reverse show. A program defines `main`, whose value is printed.";

/// Worked examples: (task, program).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("Sum the squares of the numbers from 1 to 10.", "square x = x * x\n\nmain = sum (map square [1..10])\n"),
    ("Compute the factorial of 5.", "fact 0 = 1\nfact n = n * fact (n - 1)\n\nmain = fact 5\n"),
    ("Keep the even numbers of a list.", "evens xs = filter (\\x -> x % 2 == 0) xs\n\nmain = evens [1 2 3 4 5 6]\n"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_compiles_and_runs() {
        for (task, program) in EXAMPLES {
            let compiled = synoema_compiler::compile(program);
            assert!(compiled.diagnostics.is_empty(), "{task}: {:?}", compiled.diagnostics);
            let mut out = Vec::new();
            let limits = synoema_compiler::interp::Limits::default();
            synoema_compiler::interp::run_main(&compiled.program, &compiled.info, &limits, &mut out).unwrap();
            assert!(!out.is_empty());
        }
    }
}
