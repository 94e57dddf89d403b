//! The prompt of `synoema generate`: a compact Synoema reference for a
//! small model, as a system text and a few worked examples (task →
//! program) put into the model's chat template. Every example program is
//! checked by the compiler in this module's tests.

/// The system text: what Synoema looks like, in a few lines (the default
/// model is small: the examples carry most of the weight).
pub const SYSTEM: &str = "You write Synoema programs. Synoema is like Haskell without keywords: \
equations `f x = ...`, lists `[1 2 3]`, ranges `[1..10]`, `? cond -> a : b` for if, `\\x -> x + 1` for lambdas. \
Define the helper functions first and `main` last. Reply with the program only.";

/// Worked examples: (task, program).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("Compute the factorial of 5.", "fact n = ? n == 0 -> 1 : n * fact (n - 1)\n\nmain = fact 5"),
    ("Sum the squares of the numbers from 1 to 10.", "square x = x * x\n\nmain = sum (map square [1..10])"),
    ("Keep the even numbers of the list [1 2 3 4 5 6].", "main = filter (\\x -> x % 2 == 0) [1 2 3 4 5 6]"),
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
