//! Prints whether each argument is a viable prefix, with the work it took
//! (a debugging aid):
//! `cargo run -p synoema-typeoracle --example probe -- 'main = 1 +'`.
//! `\n` in an argument is a line break.

use synoema_typeoracle::{Oracle, Request};

fn main() {
    for arg in std::env::args().skip(1) {
        let text = arg.replace("\\n", "\n");
        let Ok(mut oracle) = Oracle::new(Request::default()) else { return };
        let started = std::time::Instant::now();
        let viable = oracle.check(text.as_bytes());
        let micros = started.elapsed().as_secs_f64() * 1e6;
        let stats = oracle.stats();
        oracle.commit(text.as_bytes());
        println!(
            "{viable:5} complete={:5} readings={} ({micros:.0} µs) {text:?}",
            oracle.is_complete(),
            stats.readings
        );
    }
}
