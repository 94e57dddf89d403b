//! Prints a large, valid Synoema program (N groups of definitions, default
//! 1000, about 12 lines each) for timing the front end and checker:
//!
//! `cargo run --release -p synoema-compiler --example large_program > big.sno`
//! `time synoema check big.sno`

use std::fmt::Write as _;

fn main() {
    let groups: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mut src = String::from("Tree a = Leaf | Node (Tree a) a (Tree a)\n\n");
    for i in 0..groups {
        let prev = if i == 0 { "[1 2 3]".to_string() } else { format!("step{} xs", i - 1) };
        let _ = write!(
            src,
            "\
step{i} xs =
  ys = [x * 2 + {i} | x <- xs, x % 3 != 1]
  ? is_empty ys -> {prev}
  : take 3 (sort ys)

insert{i} x Leaf = Node Leaf x Leaf
insert{i} x (Node l v r) =
  ? x < v -> Node (insert{i} x l) v r
  : Node l v (insert{i} x r)

label{i} p = \"{i}: ${{p.name}} is ${{p.age}} (${{show (step{i} [p.age])}})\"

"
        );
    }
    let last = groups.saturating_sub(1);
    let _ = writeln!(src, "main = label{last} {{name = \"ada\", age = 36}}");
    print!("{src}");
}
