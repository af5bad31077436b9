//! `steden`: the Stedenplatform server and command-line tool.

fn main() {
    println!("steden");
}
