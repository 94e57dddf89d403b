//! The smallest complete use of the compiler library: compile a program,
//! print its diagnostics or its inferred types, then run it.
//!
//! `cargo run -p synoema-compiler --example minimal`

use synoema_compiler::diagnostic::Renderer;
use synoema_compiler::{compile, interp};

const PROGRAM: &str = "\
double x = x * 2

main =
  xs = map double [1 2 3]
  \"doubled: ${xs}\"
";

fn main() {
    let compiled = compile(PROGRAM);
    if !compiled.diagnostics.is_empty() {
        eprint!("{}", Renderer::new("minimal.sno", PROGRAM).render_all(&compiled.diagnostics));
        std::process::exit(2);
    }
    for (name, ty) in &compiled.info.top_level {
        println!("{name} : {ty}");
    }
    let mut out = std::io::stdout();
    if let Err(err) = interp::run_main(&compiled.program, &compiled.info, &interp::Limits::default(), &mut out) {
        eprintln!("runtime error: {err}");
        std::process::exit(1);
    }
}
