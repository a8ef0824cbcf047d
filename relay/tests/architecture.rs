//! Invariants of the relay, written as absences.

use std::process::Command;

/// The relay must not be able to read a record: it never links the model,
/// Automerge or the crypto of `lotse-sync`'s client half.
///
/// Checked for `cargo build -p lotse-relay` on its own, the way the shipped
/// binary is built. (A build of the whole workspace unifies features and
/// compiles `lotse-sync` with `client` for every member.)
#[test]
fn the_relay_depends_on_no_model_automerge_or_crypto() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none", "-p", "lotse-relay"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(tree.lines().any(|l| l.starts_with("lotse-sync ")), "the tree lists lotse-sync:\n{tree}");
    for forbidden in ["lotse-model ", "automerge ", "autosurgeon ", "chacha20poly1305 ", "aead "] {
        assert!(!tree.lines().any(|l| l.starts_with(forbidden)), "the relay depends on {forbidden}:\n{tree}");
    }
}
