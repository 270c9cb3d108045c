// rustleak.rs — a Rust program whose heap profile has Rust symbols (the
// legacy mangling rustc uses by default, `_ZN...17h<hash>E`): a Vec that
// grows, Strings, a HashMap and a Box leaked on purpose. Built and run as
// testdata/README says (demangle/).
use std::collections::HashMap;

#[inline(never)]
fn grow(n: usize) -> Vec<u64> {
    let mut v = Vec::new();
    for i in 0..n {
        v.push(i as u64);
    }
    v
}

#[inline(never)]
fn names(n: usize) -> HashMap<usize, String> {
    let mut m = HashMap::new();
    for i in 0..n {
        m.insert(i, format!("name number {}", i));
    }
    m
}

fn main() {
    let v = grow(100_000);
    let m = names(2_000);
    let b: &'static mut [u8] = Box::leak(vec![7u8; 65536].into_boxed_slice());
    println!("{} {} {}", v.len(), m.len(), b.len());
}
