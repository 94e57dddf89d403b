//! Replays a file byte by byte through the oracle and prints the first
//! rejected byte (a debugging aid): `cargo run -p synoema-typeoracle --example replay FILE`.

use synoema_typeoracle::{Oracle, Request};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: replay FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mut oracle = match Oracle::new(Request::default()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let start = std::time::Instant::now();
    for (i, b) in text.iter().enumerate() {
        if !oracle.check(&[*b]) {
            let shown = String::from_utf8_lossy(&text[..=i]);
            println!("rejected byte {i} {:?} after:\n{shown}", *b as char);
            std::process::exit(1);
        }
        oracle.commit(&[*b]);
    }
    println!("all {} bytes accepted in {:?}; complete: {}", text.len(), start.elapsed(), oracle.is_complete());
    println!("{:?}", oracle.stats());
}
