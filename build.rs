//! Rebuilds the binary when the built-in policy pack changes: it is embedded with
//! `include_dir!`, which cargo does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=policies");
}
