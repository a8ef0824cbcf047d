//! `relay-load`: see the library, which is its body.

fn main() -> anyhow::Result<()> {
    lotse_relay_load::main()
}
