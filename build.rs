//! Rebuilds the binary when the built-in policy pack or the demo's files change: they are
//! embedded with `include_dir!`, which cargo does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=policies");
    println!("cargo:rerun-if-changed=src/demo/files");
}
