//! The engine worker (see `lotse::engine`), started by the page.

fn main() {
    lotse::engine::worker::start();
}
